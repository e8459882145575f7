import { endpoint, pageQuery } from '@hellojohn/http';
import { actorOf } from '../../guards/actor';
import {
  ApiKeyList,
  ApiKeyParams,
  ApiKeyWithSecret,
  CreateApiKeyBody,
  RotateApiKeyBody,
} from './api-keys.schemas';
import type { ApiKeyService } from './api-keys.service';

const TAGS = ['api-keys'];

export function apiKeyRoutes(apiKeys: ApiKeyService) {
  return {
    create: endpoint(
      {
        summary: 'Create an API key (shown once)',
        description:
          'The key (`hjk_...`) is a bearer credential on the control plane and on the data plane admin routes, with the role and tenants given here.',
        tags: TAGS,
        body: CreateApiKeyBody,
        response: ApiKeyWithSecret,
        status: 201,
      },
      async function createApiKey({ body }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return apiKeys.create(body, actorOf(res));
      },
    ),
    list: endpoint(
      {
        summary: 'List API keys (never their secrets)',
        tags: TAGS,
        query: pageQuery,
        response: ApiKeyList,
        errors: ['invalid_cursor'],
      },
      async function listApiKeys({ query }) {
        return apiKeys.list(query);
      },
    ),
    revoke: endpoint(
      {
        summary: 'Revoke an API key',
        description: 'Refused at once on the control plane and within seconds on the data plane.',
        tags: TAGS,
        params: ApiKeyParams,
        status: 204,
        errors: ['api_key_not_found'],
      },
      async function revokeApiKey({ params }) {
        await apiKeys.revoke(params.id);
      },
    ),
    rotate: endpoint(
      {
        summary: 'Rotate an API key (new key shown once)',
        description: 'The old key keeps working for `overlap_seconds`, then stops.',
        tags: TAGS,
        params: ApiKeyParams,
        body: RotateApiKeyBody,
        response: ApiKeyWithSecret,
        errors: ['api_key_not_found'],
      },
      async function rotateApiKey({ params, body }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return apiKeys.rotate(params.id, body.overlap_seconds);
      },
    ),
  };
}
