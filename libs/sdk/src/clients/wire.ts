// Helpers that read one operation of the generated OpenAPI types (`../generated/*.ts`, written
// by `npm run sdk:types`). Every REST type of the SDK is one of these applied to `paths[...]`, so
// it changes when the server's schemas change and cannot drift from them.

/** The success statuses a HelloJohn route declares (`spec.status`; 204 has no body). */
type Success = 200 | 201 | 202;

/**
 * The JSON body of an operation's success answer.
 *
 * @example
 * type Tenant = Json<paths['/v1/tenants/{tenant}']['get']>;
 */
export type Json<Op> = Op extends { responses: infer Responses }
  ? {
      [Status in keyof Responses]: Status extends Success
        ? Responses[Status] extends { content: { 'application/json': infer Body } }
          ? Body
          : never
        : never;
    }[keyof Responses]
  : never;

/**
 * The JSON request body an operation accepts.
 *
 * @example
 * type CreateTenantInput = Body<paths['/v1/tenants']['post']>;
 */
export type Body<Op> = Op extends {
  requestBody: { content: { 'application/json': infer Input } };
}
  ? Input
  : never;

/**
 * The query parameters an operation accepts (all optional on HelloJohn routes).
 *
 * @example
 * type ListTenantsQuery = QueryOf<paths['/v1/tenants']['get']>;
 */
export type QueryOf<Op> = Op extends { parameters: { query?: infer Query } }
  ? NonNullable<Query>
  : never;

/**
 * One element of a list answer (`{ data: T[], next_cursor }`).
 *
 * @example
 * type Admin = Item<Json<paths['/v1/admins']['get']>>;
 */
export type Item<List> = List extends { data: (infer Element)[] } ? Element : never;
