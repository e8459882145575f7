/** A JSON Schema (2020-12) object, as OpenAPI 3.1 embeds it. `true`/`{}` accept anything. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export type Plane = 'control-plane' | 'data-plane';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface DocumentedResponse {
  /** Media type -> schema (`true` when the document names the type but no schema). */
  content: Record<string, JsonSchema>;
  /** Response headers the document names, and whether it marks them required. */
  headers: Record<string, { required: boolean }>;
}

/** One operation (path + method) of a plane's OpenAPI document. */
export interface Operation {
  plane: Plane;
  /** Upper case: `GET`, `POST`, ... */
  method: string;
  /** The path template, e.g. `/v1/tenants/{tenant}`. */
  path: string;
  /** `control-plane GET /v1/tenants/{tenant}`: how findings name the operation. */
  key: string;
  parameters: Parameter[];
  body?: { required: boolean; content: Record<string, JsonSchema> };
  /** Status (`200`, `4XX` or `default`) -> what the document promises. */
  responses: Record<string, DocumentedResponse>;
  /** The operation requires a bearer token (`security` names one and no empty alternative). */
  bearer: boolean;
  /** How its errors answer: RFC 9457 problem+json, or RFC 6749 `{error}` on OAuth endpoints. */
  errorFormat: 'problem' | 'oauth' | 'html';
  /** The document's `components`, which `$ref`s in the schemas above point into. */
  components: NonNullable<OpenApiDocument['components']>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (`#/components/...`) through the document; other values pass through. */
export function resolveRef<T>(value: T, root: unknown): T {
  let current: unknown = value;
  for (let hops = 0; isRecord(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32 || !current.$ref.startsWith('#/')) break;
    let target: unknown = root;
    for (const raw of current.$ref.slice(2).split('/')) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isRecord(target) ? target[part] : undefined;
    }
    if (target === undefined) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current as T;
}

function contentOf(value: unknown, root: unknown): Record<string, JsonSchema> {
  const content: Record<string, JsonSchema> = {};
  if (!isRecord(value)) return content;
  for (const [mediaType, media] of Object.entries(value)) {
    const schema = isRecord(media) ? media.schema : undefined;
    content[mediaType.toLowerCase()] =
      schema === undefined ? true : (resolveRef(schema, root) as JsonSchema);
  }
  return content;
}

function responseOf(value: unknown, root: unknown): DocumentedResponse {
  const response = resolveRef(value, root);
  const headers: Record<string, { required: boolean }> = {};
  if (isRecord(response) && isRecord(response.headers)) {
    for (const [name, header] of Object.entries(response.headers)) {
      const resolved = resolveRef(header, root);
      headers[name.toLowerCase()] = {
        required: isRecord(resolved) && resolved.required === true,
      };
    }
  }
  return { content: contentOf(isRecord(response) ? response.content : undefined, root), headers };
}

/** Server-rendered pages (the hosted login) document their errors as `text/html`. */
function isHtml(responses: Record<string, DocumentedResponse>): boolean {
  return Object.entries(responses).some(
    ([status, response]) => status.startsWith('4') && 'text/html' in response.content,
  );
}

function isOAuth(path: string, responses: Record<string, DocumentedResponse>): boolean {
  if (path.includes('/oauth2/')) return true;
  return Object.entries(responses).some(
    ([status, response]) =>
      !status.startsWith('2') &&
      Object.values(response.content).some(
        (schema) =>
          typeof schema === 'object' &&
          isRecord(schema.properties) &&
          'error' in schema.properties &&
          !('code' in schema.properties),
      ),
  );
}

/** Every operation of a document, in document order. */
export function operationsOf(document: OpenApiDocument, plane: Plane): Operation[] {
  const operations: Operation[] = [];
  const components = document.components ?? {};
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const raw = item[method];
      if (!isRecord(raw)) continue;
      const parameters = [...shared, ...(Array.isArray(raw.parameters) ? raw.parameters : [])]
        .map((parameter) => resolveRef(parameter, document) as Record<string, unknown>)
        .map((parameter): Parameter => ({
          name: String(parameter.name),
          in: parameter.in as Parameter['in'],
          required: parameter.required === true || parameter.in === 'path',
          schema: (resolveRef(parameter.schema, document) as JsonSchema | undefined) ?? true,
        }));
      const responses: Record<string, DocumentedResponse> = {};
      for (const [status, response] of Object.entries(
        isRecord(raw.responses) ? raw.responses : {},
      )) {
        responses[status.toUpperCase()] = responseOf(response, document);
      }
      const requestBody = resolveRef(raw.requestBody, document);
      const security = Array.isArray(raw.security) ? raw.security : [];
      operations.push({
        plane,
        method: method.toUpperCase(),
        path,
        key: `${plane} ${method.toUpperCase()} ${path}`,
        parameters,
        ...(isRecord(requestBody)
          ? {
              body: {
                required: requestBody.required === true,
                content: contentOf(requestBody.content, document),
              },
            }
          : {}),
        responses,
        // `security: [{bearer: []}, {}]` makes the token optional (OpenAPI 3.1 §4.8.10).
        bearer:
          security.some((requirement) => isRecord(requirement) && 'bearer' in requirement) &&
          !security.some(
            (requirement) => isRecord(requirement) && Object.keys(requirement).length === 0,
          ),
        errorFormat: isHtml(responses) ? 'html' : isOAuth(path, responses) ? 'oauth' : 'problem',
        components,
      });
    }
  }
  return operations;
}

/** What the document promises for `status`: the exact code, then `4XX`-style ranges, then `default`. */
export function documentedResponse(
  operation: Pick<Operation, 'responses'>,
  status: number,
): DocumentedResponse | undefined {
  return (
    operation.responses[String(status)] ??
    operation.responses[`${String(status)[0] ?? ''}XX`] ??
    operation.responses.DEFAULT
  );
}
