import { createHmac } from 'node:crypto';
import { verifyWebhook, WebhookVerificationError } from '../src';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT = new Date(Number(VECTOR.timestamp) * 1000);

function headers(signature = VECTOR.signature, timestamp = VECTOR.timestamp) {
  return {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
  return undefined;
}

describe('verifyWebhook', () => {
  it('accepts the specification test vector and returns the parsed body', () => {
    expect(verifyWebhook(VECTOR.secret, headers(), VECTOR.body, { now: AT })).toEqual({
      test: 2432232314,
    });
  });

  it('accepts a Buffer body and fetch-style Headers', () => {
    const bag = new Headers(headers());
    expect(verifyWebhook(VECTOR.secret, bag, Buffer.from(VECTOR.body), { now: AT })).toEqual({
      test: 2432232314,
    });
  });

  it('accepts any one of several space-separated signatures (rotation overlap)', () => {
    const other = 'v1,' + Buffer.alloc(32, 7).toString('base64');
    const both = `${other} v2,ignored ${VECTOR.signature}`;
    expect(verifyWebhook(VECTOR.secret, headers(both), VECTOR.body, { now: AT })).toBeDefined();
  });

  it('refuses a wrong signature, a changed body and another secret', () => {
    const forged = 'v1,' + Buffer.alloc(32).toString('base64');
    expect(
      codeOf(() => verifyWebhook(VECTOR.secret, headers(forged), VECTOR.body, { now: AT })),
    ).toBe('invalid_signature');
    expect(
      codeOf(() => verifyWebhook(VECTOR.secret, headers(), '{"test": 2432232315}', { now: AT })),
    ).toBe('invalid_signature');
    const otherSecret = 'whsec_' + Buffer.alloc(24, 1).toString('base64');
    expect(codeOf(() => verifyWebhook(otherSecret, headers(), VECTOR.body, { now: AT }))).toBe(
      'invalid_signature',
    );
  });

  it('refuses timestamps older or newer than the tolerance (default 5 minutes)', () => {
    const late = new Date(AT.getTime() + 301_000);
    expect(codeOf(() => verifyWebhook(VECTOR.secret, headers(), VECTOR.body, { now: late }))).toBe(
      'timestamp_out_of_tolerance',
    );
    const early = new Date(AT.getTime() - 301_000);
    expect(codeOf(() => verifyWebhook(VECTOR.secret, headers(), VECTOR.body, { now: early }))).toBe(
      'timestamp_out_of_tolerance',
    );
    expect(
      verifyWebhook(VECTOR.secret, headers(), VECTOR.body, { now: late, toleranceSeconds: 600 }),
    ).toBeDefined();
  });

  it('refuses missing headers and a malformed timestamp', () => {
    expect(
      codeOf(() =>
        verifyWebhook(VECTOR.secret, { 'webhook-id': VECTOR.id }, VECTOR.body, { now: AT }),
      ),
    ).toBe('missing_headers');
    expect(
      codeOf(() => verifyWebhook(VECTOR.secret, headers(VECTOR.signature, 'soon'), VECTOR.body)),
    ).toBe('invalid_timestamp');
  });

  it('verifies against the current time by default', () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(VECTOR.secret.slice(6), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${VECTOR.id}.${timestamp}.${VECTOR.body}`)
      .digest('base64');
    expect(
      verifyWebhook(VECTOR.secret, headers(`v1,${mac}`, timestamp), VECTOR.body),
    ).toBeDefined();
  });
});
