import { readRepoFile } from './load';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into logical lines (continuations joined, comments dropped). */
function logicalLines(text: string): string[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  return logical;
}

/** Splits a Dockerfile into stages of instructions. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const match = /^(\w+)\s+(.*)$/s.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const [from, as, name] = args.split(/\s+/);
      stages.push({
        from: from!,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push({ keyword, args });
    }
  }
  return stages;
}

/** `deploy/docker/<name>.Dockerfile` (`name` may name a subfolder: `local/postgres`). */
export function dockerfileOf(name: string): Stage[] {
  return parseDockerfile(readRepoFile(`deploy/docker/${name}.Dockerfile`));
}

/** The `ARG` lines before the first `FROM` (those `FROM ${...}` may use), with their defaults. */
export function globalArgsOf(name: string): Record<string, string | undefined> {
  const args: Record<string, string | undefined> = {};
  for (const line of logicalLines(readRepoFile(`deploy/docker/${name}.Dockerfile`))) {
    const match = /^(\w+)\s+(.*)$/s.exec(line);
    if (!match || match[1]!.toUpperCase() === 'FROM') break;
    if (match[1]!.toUpperCase() !== 'ARG') continue;
    const [key, value] = match[2]!.trim().split('=', 2);
    args[key!] = value;
  }
  return args;
}

/** The first line's raw text, to find a `# syntax=` parser directive. */
export function firstLineOf(name: string): string {
  return readRepoFile(`deploy/docker/${name}.Dockerfile`).split('\n', 1)[0]!;
}

export function finalStage(stages: Stage[]): Stage {
  const stage = stages.at(-1);
  if (!stage) throw new Error('Dockerfile has no FROM');
  return stage;
}

export function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** `ENV a=1 b=2` lines of a stage as one record (later lines win, like Docker). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of argsOf(stage, 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** The exec-form (JSON array) argument of the last `keyword` instruction, e.g. CMD. */
export function execFormOf(stage: Stage, keyword: string): string[] {
  const args = argsOf(stage, keyword).at(-1);
  if (args === undefined) throw new Error(`no ${keyword}`);
  const parsed: unknown = JSON.parse(args.slice(args.indexOf('[')));
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`${keyword} is not in exec form: ${args}`);
  }
  return parsed;
}
