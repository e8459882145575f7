/**
 * The server's log: JSON lines on stderr, always (in stdio mode stdout is the protocol). Callers
 * pass tool names, outcomes and durations only: never arguments or results, which may hold
 * secrets (a created client secret, an API key, a token to decode).
 */
export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: object) => void;

export function stderrLog(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Log {
  return (level, message, fields = {}) => {
    write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`,
    );
  };
}
