/**
 * Polls `check` until it stops throwing, then resolves; past `timeoutMs` it rethrows the last
 * error. For effects that arrive on a later tick: events reaching the other plane, a relay's send.
 */
export async function eventually(
  check: () => Promise<unknown>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
