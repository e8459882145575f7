/**
 * The `aud` of every CP admin access token: the control plane signs it, the data plane's admin
 * routes require it, so a tenant's user token can never pass as an admin token (docs/api.md).
 */
export const CONTROL_PLANE_AUDIENCE = 'hellojohn:control-plane';
