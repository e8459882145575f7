import { run, type Io } from '@hellojohn/hjctl';

/** What one hjctl command printed, and its exit code. */
export interface HjctlOutcome {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs hjctl in this process against the control plane at `cpUrl`, as a user whose HOME (where
 * `hjctl login` saves its token) is `home`, with `env` as the rest of its environment.
 */
export async function runHjctl(
  at: { cpUrl: string; home: string; env?: Record<string, string> },
  argv: readonly string[],
): Promise<HjctlOutcome> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { HOME: at.home, ...at.env },
  };
  const code = await run(['--url', at.cpUrl, ...argv], io);
  return { code, out, err };
}
