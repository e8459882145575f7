/** Where hjctl writes, so tests can capture output instead of the terminal. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Environment (HJCTL_URL, HJCTL_TOKEN, HOME). */
  env: Record<string, string | undefined>;
}

export const processIo: Io = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  env: process.env,
};
