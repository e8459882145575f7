import { createPasswordHasher, type PasswordHasher } from '@hellojohn/tokens';

/**
 * One hasher per bcrypt cost (tenants choose theirs). Each keeps a dummy hash of its own cost,
 * so an unknown account takes as long as a wrong password at that tenant's cost.
 */
export function createPasswordHashers(): (cost: number) => PasswordHasher {
  const byCost = new Map<number, PasswordHasher>();
  return function hasherFor(cost) {
    let hasher = byCost.get(cost);
    if (!hasher) {
      hasher = createPasswordHasher(cost);
      byCost.set(cost, hasher);
    }
    return hasher;
  };
}
