import { normalizePasswordHash, PasswordHashProblem } from './normalize-password-hash';
import type { PasswordHashInput } from './password-hash.schemas';
import { verifyImportedHash } from './verify-imported-hash';

/** Normalizes like an import does, then verifies like a sign-in does. */
async function check(input: PasswordHashInput, password: string): Promise<boolean> {
  const normalized = normalizePasswordHash(input);
  if (normalized.kind !== 'imported') throw new Error('expected an imported hash');
  const key = normalized.secretKey;
  const params = key ? { ...normalized.params, key_id: 'k1' } : normalized.params;
  const stored = { algorithm: normalized.algorithm, hash: normalized.hash, params };
  return verifyImportedHash(password, stored, async (id) => (id === 'k1' ? key : undefined));
}

const hex = (value: string): string =>
  Buffer.from(value.replace(/\s/g, ''), 'hex').toString('base64');

describe('verifyImportedHash with published test vectors', () => {
  it('bcrypt: the OpenBSD/crypt_blowfish vectors, $2y$ read as $2b$', async () => {
    const hash = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
    expect(await check({ algorithm: 'bcrypt', hash }, 'U*U')).toBe(true);
    expect(await check({ algorithm: 'bcrypt', hash: hash.replace('$2a$', '$2y$') }, 'U*U')).toBe(
      true,
    );
    expect(await check({ algorithm: 'bcrypt', hash }, 'U*U*')).toBe(false);
  });

  it('pbkdf2-sha1: RFC 6070 §2', async () => {
    const line = (iterations: number, dk: string): PasswordHashInput => ({
      algorithm: 'pbkdf2-sha1',
      hash: dk,
      salt: 'salt',
      params: { iterations, hash_encoding: 'hex', salt_encoding: 'utf8' },
    });
    expect(await check(line(1, '0c60c80f961f0e71f3a9b524af6012062fe037a6'), 'password')).toBe(true);
    expect(await check(line(2, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'), 'password')).toBe(true);
    expect(await check(line(4096, '4b007901b765489abead49d926f721d065a429c1'), 'password')).toBe(
      true,
    );
    expect(await check(line(4096, '4b007901b765489abead49d926f721d065a429c1'), 'passwore')).toBe(
      false,
    );
  });

  it('pbkdf2-sha256: RFC 7914 §11; pbkdf2-sha512: the widely published P="password" S="salt" c=1', async () => {
    const rfc7914 = `55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc
      49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783`;
    expect(
      await check(
        {
          algorithm: 'pbkdf2-sha256',
          hash: hex(rfc7914),
          salt: 'c2FsdA==',
          params: { iterations: 1 },
        },
        'passwd',
      ),
    ).toBe(true);
    const sha512 = `867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252
      c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce`;
    const input: PasswordHashInput = {
      algorithm: 'pbkdf2-sha512',
      hash: hex(sha512),
      salt: 'salt',
      params: { iterations: 1, salt_encoding: 'utf8' },
    };
    expect(await check(input, 'password')).toBe(true);
    expect(await check(input, 'Password')).toBe(false);
  });

  it('scrypt: RFC 7914 §12 (N=1024, r=8, p=16)', async () => {
    const dk = `fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162
      2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640`;
    const input: PasswordHashInput = {
      algorithm: 'scrypt',
      hash: hex(dk),
      salt: 'NaCl',
      params: { n: 1024, r: 8, p: 16, salt_encoding: 'utf8' },
    };
    expect(await check(input, 'password')).toBe(true);
    expect(await check(input, 'password1')).toBe(false);
  });

  it("firebase-scrypt: the sample of Firebase's scrypt repository", async () => {
    const input: PasswordHashInput = {
      algorithm: 'firebase-scrypt',
      hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
      salt: '42xEC+ixf3L2lw==',
      params: {
        signer_key:
          'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
        salt_separator: 'Bw==',
        rounds: 8,
        mem_cost: 14,
      },
    };
    expect(await check(input, 'user1password')).toBe(true);
    expect(await check(input, 'user2password')).toBe(false);
  });

  it('sha256-salted / sha512-salted: FIPS 180-4 "abc" split into password and salt', async () => {
    const sha256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const sha512 = `ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a
      2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f`;
    const params = { hash_encoding: 'hex', salt_encoding: 'utf8' };
    expect(await check({ algorithm: 'sha256-salted', hash: sha256, salt: 'c', params }, 'ab')).toBe(
      true,
    );
    const saltFirst = { ...params, order: 'salt_password' };
    expect(
      await check(
        {
          algorithm: 'sha512-salted',
          hash: sha512.replace(/\s/g, ''),
          salt: 'a',
          params: saltFirst,
        },
        'bc',
      ),
    ).toBe(true);
    expect(
      await check({ algorithm: 'sha256-salted', hash: sha256, salt: 'c', params }, 'abc'),
    ).toBe(false);
  });

  it("md5-crypt: passlib's documented sample and OpenSSL `passwd -1` output", async () => {
    expect(
      await check(
        { algorithm: 'md5-crypt', hash: '$1$3azHgidD$SrJPt7B.9rekpmwJwtON31' },
        'password',
      ),
    ).toBe(true);
    expect(
      await check(
        { algorithm: 'md5-crypt', hash: '$1$saltsalt$NuzA7WTAelpl95xgBGWN60' },
        'correct horse',
      ),
    ).toBe(true);
    expect(await check({ algorithm: 'md5-crypt', hash: '$1$ab$rn6aQS/o7141mj179E/zA.' }, '')).toBe(
      true,
    );
    expect(
      await check(
        { algorithm: 'md5-crypt', hash: '$1$3azHgidD$SrJPt7B.9rekpmwJwtON31' },
        'passwore',
      ),
    ).toBe(false);
  });

  // The reference implementation's test.c vectors (password "password", salt "somesalt", t=2,
  // m=65536, p=1, v=0x13), checked by @node-rs/argon2: 64 MiB each, hence the longer timeout.
  it('argon2id / argon2i: the reference test vectors', async () => {
    const argon2id =
      '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
    const argon2i =
      '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA';
    expect(await check({ algorithm: 'argon2id', hash: argon2id }, 'password')).toBe(true);
    expect(await check({ algorithm: 'argon2i', hash: argon2i }, 'password')).toBe(true);
    expect(await check({ algorithm: 'argon2id', hash: argon2id }, 'passwore')).toBe(false);
  }, 60_000);
});

describe('verifyImportedHash off the event loop', () => {
  /**
   * Counts the event loop's turns while `work` runs. A check computed on the main thread (as a
   * WebAssembly argon2 was) lets no turn pass until it is done; one on libuv's threads lets
   * hundreds pass. No clock involved: a turn count.
   */
  async function turnsDuring(
    work: () => Promise<boolean>,
  ): Promise<{ ok: boolean; turns: number }> {
    let turns = 0;
    let running = true;
    const spin = (): void => {
      turns += 1;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const ok = await work();
    running = false;
    return { ok, turns };
  }

  it.each<[string, PasswordHashInput, string]>([
    [
      'argon2id (64 MiB)',
      {
        algorithm: 'argon2id',
        hash: '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      },
      'password',
    ],
    [
      'scrypt (RFC 7914 N=16384)',
      {
        algorithm: 'scrypt',
        hash: hex(`7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2
          d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887`),
        salt: 'SodiumChloride',
        params: { n: 16384, r: 8, p: 1, salt_encoding: 'utf8' },
      },
      'pleaseletmein',
    ],
    [
      'pbkdf2-sha256 (RFC 7914 §11, 80000 iterations)',
      {
        algorithm: 'pbkdf2-sha256',
        hash: hex(`4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56
          a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d`),
        salt: 'NaCl',
        params: { iterations: 80000, salt_encoding: 'utf8' },
      },
      'Password',
    ],
  ])(
    '%s lets the event loop turn while it runs',
    async (_name, input, password) => {
      const { ok, turns } = await turnsDuring(() => check(input, password));
      expect(ok).toBe(true);
      expect(turns).toBeGreaterThan(10);
    },
    60_000,
  );
});

describe('normalizePasswordHash', () => {
  const reason = (input: PasswordHashInput): string => {
    try {
      normalizePasswordHash(input);
      return 'accepted';
    } catch (error) {
      return error instanceof PasswordHashProblem ? error.message : 'other';
    }
  };

  it('names the field at fault, never the hash', () => {
    expect(reason({ algorithm: 'bcrypt', hash: 'nope' })).toBe(
      'password_hash.hash: must be a $2a$, $2b$ or $2y$ bcrypt hash',
    );
    expect(
      reason({ algorithm: 'pbkdf2-sha256', hash: 'AAAAAAAAAAAAAAAAAAAAAAAA', salt: 'c2FsdA==' }),
    ).toBe('password_hash.params.iterations: must be an integer from 1 to 2000000');
    expect(
      reason({
        algorithm: 'scrypt',
        hash: 'AAAAAAAAAAAAAAAAAAAAAAAA',
        salt: 'c2FsdA==',
        params: { n: 1000, r: 8, p: 1 },
      }),
    ).toBe('password_hash.params.n: must be a power of 2');
    expect(reason({ algorithm: 'sha256-salted', hash: 'AAAA', params: {} })).toBe(
      'password_hash.salt: is required for this algorithm',
    );
    expect(reason({ algorithm: 'md5-crypt', hash: '$1$x$y', params: { rounds: 1 } })).toBe(
      'password_hash.params.rounds: is not a parameter of this algorithm',
    );
  });

  it("keeps HelloJohn's own bcrypt hashes as the tenant's scheme", () => {
    const hash = '$2b$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
    expect(
      normalizePasswordHash({
        algorithm: 'bcrypt',
        hash,
        params: { prehash: 'sha256-nfkc-base64' },
      }),
    ).toEqual({ kind: 'native', hash });
  });
});
