import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One mail kept by the development mailbox instead of being sent. */
export interface DevMail {
  id: string;
  tenantId: string;
  tenantSlug: string;
  kind: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** ISO 8601. */
  receivedAt: string;
}

export interface DevMailbox {
  /** Where the mails are kept (`{HJ_DATA_DIR}/mailbox`). */
  readonly dir: string;
  keep(mail: DevMail): Promise<void>;
  /** Newest first. */
  list(limit?: number): Promise<DevMail[]>;
  get(id: string): Promise<DevMail | undefined>;
}

/** The mailbox keeps this many mails; older ones are deleted as new ones arrive. */
const KEEP = 500;
const ID = /^[0-9a-f-]{36}$/;
const FILE = /^\d{15}-([0-9a-f-]{36})\.json$/;

/**
 * The development mailbox (no HJ_SMTP_URL, outside production): mails are kept as JSON files in
 * `dir`, one per mail, named so they sort by arrival. Files rather than memory so that
 * `npm run mailbox`, another process, reads what the data plane kept, and a restart loses
 * nothing; files rather than the tenant databases so one listing covers every tenant without
 * asking the control plane which tenants exist.
 */
export function createDevMailbox(dir: string): DevMailbox {
  async function files(): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((name) => FILE.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async function read(name: string): Promise<DevMail | undefined> {
    try {
      return JSON.parse(await readFile(join(dir, name), 'utf8')) as DevMail;
    } catch {
      // Pruned meanwhile, or half-written by a crash: not worth failing the listing for.
      return undefined;
    }
  }

  return {
    dir,
    async keep(mail) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${String(Date.now()).padStart(15, '0')}-${mail.id}.json`;
      // Links carry live one-time tokens: readable by the owner only.
      await writeFile(join(dir, name), JSON.stringify(mail), { mode: 0o600 });
      const all = await files();
      for (const old of all.slice(0, Math.max(all.length - KEEP, 0))) {
        await rm(join(dir, old), { force: true });
      }
    },
    async list(limit = 100) {
      const names = (await files()).reverse().slice(0, limit);
      const mails = await Promise.all(names.map(read));
      return mails.filter((mail): mail is DevMail => mail !== undefined);
    },
    async get(id) {
      if (!ID.test(id)) return undefined;
      const name = (await files()).reverse().find((file) => file.endsWith(`-${id}.json`));
      return name === undefined ? undefined : read(name);
    },
  };
}

/** The links in a mail's text, for the one-line log summary. */
export function linksIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
}
