/**
 * AMQP 0-9-1 topic matching as RabbitMQ does it: keys and patterns are dot-separated words, `*`
 * matches exactly one word and `#` zero or more. Used by the in-process bus so that a binding
 * behaves the same with and without a broker.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchFrom(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchFrom(pattern: string[], p: number, key: string[], k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    // `#` absorbs any number of words: try every split point, shortest first.
    for (let skip = k; skip <= key.length; skip++) {
      if (matchFrom(pattern, p + 1, key, skip)) return true;
    }
    return false;
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchFrom(pattern, p + 1, key, k + 1);
}
