import { createEvent } from '@hellojohn/events';
import { describeDeadLetter } from './describe-dead-letter';

describe('describeDeadLetter', () => {
  it("keeps an event's header and drops its data", () => {
    const event = createEvent('tenant.keys.rotation_requested', crypto.randomUUID(), {
      slug: 'acme',
      requested_by: 'hunter2',
    });
    const raw = JSON.stringify(event);
    const view = describeDeadLetter({ event, raw, reason: 'boom', attempts: 3 });
    expect(view).toEqual({
      valid: true,
      event_id: event.id,
      type: 'tenant.keys.rotation_requested',
      tenant_id: event.tenant_id,
      occurred_at: event.occurred_at,
      attempts: 3,
      reason: 'boom',
      size_bytes: Buffer.byteLength(raw),
    });
    expect(JSON.stringify(view)).not.toContain('hunter2');
  });

  it('never repeats what a JSON parser quoted of a body', () => {
    const raw = 's3cret!';
    let parserMessage = '';
    try {
      JSON.parse(raw);
    } catch (error) {
      parserMessage = (error as Error).message;
    }
    // The premise: the parser's own message quotes the body.
    expect(parserMessage).toContain('s3cret');
    const view = describeDeadLetter({ raw, reason: `body is not JSON: ${parserMessage}` });
    expect(view).toMatchObject({ valid: false, type: null, reason: 'body is not JSON' });
    expect(JSON.stringify(view)).not.toContain('s3cret');
  });
});
