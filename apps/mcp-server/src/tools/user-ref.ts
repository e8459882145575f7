import type { DataPlaneClient } from '@hellojohn/sdk';
import { z } from 'zod';
import type { ToolContext } from '../context';

/** How tools name a user of a tenant: by id, or by exact email (an assistant knows the email). */
export const userRef = z
  .string()
  .min(1)
  .max(320)
  .describe("The user's id, or their exact email address.");

/** A user id as given, or the id of the one user whose email is exactly `ref`. */
async function userIdOf(dp: DataPlaneClient, token: string, ref: string): Promise<string> {
  if (!ref.includes('@')) return ref;
  const page = await dp.admin.users.list(token, { email: ref, limit: 100 });
  const user = page.data.find((u) => u.email.toLowerCase() === ref.toLowerCase());
  if (!user) throw new Error(`no user with email ${ref} in this tenant`);
  return user.id;
}

/** The tenant's data plane, the admin bearer, and the named user's id. */
export async function target(ctx: ToolContext, tenant: string, ref: string) {
  const dp = ctx.dp(tenant);
  const token = await ctx.token();
  return { dp, token, id: await userIdOf(dp, token, ref) };
}
