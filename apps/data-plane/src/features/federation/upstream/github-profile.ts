import { z } from 'zod';
import { UpstreamError, type UpstreamProfile } from './upstream-types';

const GitHubUser = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullable().optional(),
  avatar_url: z.string().nullable().optional(),
});

const GitHubEmails = z.array(
  z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }),
);

/**
 * GitHub is OAuth 2 without OpenID Connect: the user is `GET /user` (subject = the numeric id,
 * which never changes, unlike the login) and the email the verified primary one of
 * `GET /user/emails` (scope `user:email`).
 */
export async function fetchGitHubProfile(
  api: string,
  accessToken: string,
): Promise<UpstreamProfile> {
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${api}${path}`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'HelloJohn',
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok)
      throw new UpstreamError('failed', `GitHub ${path} answered ${response.status}`);
    return response.json();
  };
  try {
    const user = GitHubUser.parse(await get('/user'));
    const emails = GitHubEmails.safeParse(await get('/user/emails'));
    const primary = emails.success ? emails.data.find((e) => e.primary && e.verified) : undefined;
    return {
      subject: String(user.id),
      email: primary?.email ?? null,
      emailVerified: primary !== undefined,
      name: user.name ?? user.login,
      picture: user.avatar_url ?? null,
    };
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError('failed', 'GitHub answered an unexpected profile', { cause: error });
  }
}
