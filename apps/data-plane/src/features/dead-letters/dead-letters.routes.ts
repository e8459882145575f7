import { endpoint } from '@hellojohn/http';
import { adminActorOf } from '../../guards/require-cp-admin';
import {
  DeadLetterList,
  DeadLetterQuery,
  ReplayDeadLettersBody,
  ReplayResult,
} from './dead-letters.schemas';
import type { DeadLetterService } from './dead-letters.service';

const TAGS = ['operations'];

/** `/v1/admin/ops/dead-letters`: platform operators (guards in routes/index.ts), no tenant. */
export function deadLetterRoutes(deadLetters: DeadLetterService) {
  return {
    list: endpoint(
      {
        summary: 'List the provisioning dead-letter queue without consuming it',
        description:
          'Type, tenant, event id, attempts and failure reason of each dead-lettered event; never ' +
          'its payload. In embedded mode (no RabbitMQ) the list is empty with `mode: in-process`.',
        tags: TAGS,
        query: DeadLetterQuery,
        response: DeadLetterList,
        errors: ['service_unavailable'],
      },
      async function listDeadLetters({ query }) {
        return deadLetters.list(query.limit);
      },
    ),
    replay: endpoint(
      {
        summary: 'Replay dead-lettered events once their cause is fixed',
        description:
          'Moves up to `limit` messages back to their exchange with a fresh attempt count; only ' +
          'those present when the call starts, so one that fails again is not looped.',
        tags: TAGS,
        body: ReplayDeadLettersBody,
        response: ReplayResult,
        errors: ['service_unavailable'],
      },
      async function replayDeadLetters({ body }, _req, res) {
        return deadLetters.replay(body.limit, adminActorOf(res).adminId);
      },
    ),
  };
}
