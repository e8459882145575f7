import { parseBasicAuthorization } from './basic-credentials';

const basic = (raw: string): string => `Basic ${Buffer.from(raw).toString('base64')}`;

describe('parseBasicAuthorization (RFC 6749 §2.3.1)', () => {
  it('form-urlencoding-decodes the id and the secret', () => {
    expect(parseBasicAuthorization(basic('my%20app+1:p%3Ass%2Bw%25rd'))).toEqual({
      kind: 'basic',
      clientId: 'my app 1',
      secret: 'p:ss+w%rd',
    });
  });

  it('splits at the first colon and accepts any case of the scheme and missing padding', () => {
    const header = `bAsIc ${Buffer.from('id:a:b').toString('base64').replace(/=+$/, '')}`;
    expect(parseBasicAuthorization(header)).toEqual({
      kind: 'basic',
      clientId: 'id',
      secret: 'a:b',
    });
  });

  it('tells other schemes from malformed Basic credentials', () => {
    expect(parseBasicAuthorization(undefined)).toEqual({ kind: 'absent' });
    for (const header of ['Bearer abc', 'Token', 'bearer']) {
      expect(parseBasicAuthorization(header).kind).toBe('other-scheme');
    }
    for (const header of [
      'Basic',
      'Basic !!!!',
      'Basic a',
      'Basic YQ=',
      basic('no colon'),
      basic(':secret'),
      basic('id:%zz'),
      basic('id:caf\u00e9'),
    ]) {
      expect(parseBasicAuthorization(header).kind).toBe('malformed');
    }
  });
});
