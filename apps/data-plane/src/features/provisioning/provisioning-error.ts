/**
 * A provisioning failure whose message an operator reads (it becomes the tenant's
 * `status_reason`): it names what to fix and never carries a password (see `safeReason`).
 */
export class ProvisioningError extends Error {
  override name = 'ProvisioningError';
}
