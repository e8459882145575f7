import type { DataPlaneClient } from '@hellojohn/sdk';

/** A user id as given, or the id of the one user whose email is exactly `ref`. */
export async function userIdOf(dp: DataPlaneClient, token: string, ref: string): Promise<string> {
  if (!ref.includes('@')) return ref;
  const page = await dp.admin.users.list(token, { email: ref, limit: 100 });
  const user = page.data.find((u) => u.email.toLowerCase() === ref.toLowerCase());
  if (!user) throw new Error(`no user with email ${ref}`);
  return user.id;
}
