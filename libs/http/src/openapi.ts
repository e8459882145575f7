import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ZodType } from 'zod';
import type { RouteRecord } from './api-router';
import { routeOfEndpoint } from './endpoint';
import { ERROR_CODES } from './errors/codes';
import { OAUTH_ERROR_CODES } from './errors/oauth-error';
import { errorResponses, successResponses, toSchema } from './internal/openapi-responses';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  serverUrl?: string;
}

function parametersOf(schema: ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/**
 * OpenAPI `security` from the route's guards: a bearer token when one requires it, optional
 * (`[{bearer: []}, {}]`, OpenAPI 3.1 §4.8.10) when one checks it only if sent, else none.
 */
function securityOf(record: RouteRecord): JsonSchema[] {
  const auth = new Set(record.guards.map((g) => g.guardSpec.auth));
  if (auth.has('bearer')) return [{ bearer: [] }];
  if (auth.has('optional-bearer')) return [{ bearer: [] }, {}];
  return [];
}

function operationOf(record: RouteRecord): JsonSchema {
  const spec = record.endpoint.spec;
  const route = routeOfEndpoint(record.endpoint);
  const guards = {
    errors: record.guards.flatMap((g) => g.guardSpec.errors),
    oauthErrors: record.guards.flatMap((g) => g.guardSpec.oauthErrors ?? []),
  };
  const operation: JsonSchema = {
    summary: spec.summary,
    operationId: record.endpoint.name,
    tags: spec.tags ?? [],
    parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
    responses: { ...successResponses(route), ...errorResponses(spec, route, guards) },
  };
  if (spec.description) operation.description = spec.description;
  if (spec.body) {
    const mediaType =
      route.accepts === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
    operation.requestBody = {
      // A body schema that accepts `undefined` (`.optional()`) lets the client send no body.
      required: !spec.body.safeParse(undefined).success,
      content: { [mediaType]: { schema: toSchema(spec.body, 'input') } },
    };
  }
  if (spec.streamBody) {
    const schema = toSchema(spec.streamBody.schema, 'input');
    operation.requestBody = {
      required: true,
      ...(spec.streamBody.description ? { description: spec.streamBody.description } : {}),
      content: Object.fromEntries(spec.streamBody.mediaTypes.map((type) => [type, { schema }])),
    };
  }
  operation.security = securityOf(record);
  return operation;
}

/** Express `/:id` becomes OpenAPI `{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

const oauthErrorSchema = {
  type: 'object',
  description: 'RFC 6749 §5.2 error response',
  required: ['error'],
  properties: {
    error: { type: 'string', enum: OAUTH_ERROR_CODES },
    error_description: { type: 'string' },
  },
};

/**
 * Builds an OpenAPI 3.1 document from the route table; internal routes are left out.
 *
 * @example
 * const doc = buildOpenApiDocument({ title: 'HelloJohn control plane', version: '1' }, api.routes);
 */
export function buildOpenApiDocument(
  info: OpenApiInfo,
  routes: readonly RouteRecord[],
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  let oauth = false;
  for (const record of routes) {
    if (record.endpoint.spec.internal) continue;
    oauth ||= routeOfEndpoint(record.endpoint).format === 'oauth';
    const path = openApiPath(record.path);
    paths[path] ??= {};
    paths[path][record.method] = operationOf(record);
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description ?? '' },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string', enum: Object.keys(ERROR_CODES) },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        // Only where some route answers it, so services without OAuth routes keep their document.
        ...(oauth ? { OAuthError: oauthErrorSchema } : {}),
      },
    },
  };
}

/** Serves `/openapi.json` and the Swagger UI at `/docs`. */
export function openApiRoutes(document: () => JsonSchema): Router {
  const router = Router();
  let cached: JsonSchema | undefined;
  const get = (): JsonSchema => (cached ??= document());
  router.get('/openapi.json', function serveOpenApi(_req, res) {
    res.json(get());
  });
  // serveFiles (not serve) keeps each service's Swagger UI init script its own when both
  // services run in one process.
  const options = { swaggerOptions: { url: '/openapi.json' } };
  router.use(
    '/docs',
    swaggerUi.serveFiles(undefined, options),
    swaggerUi.setup(undefined, options),
  );
  return router;
}
