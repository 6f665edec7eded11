'use server';
// Sign-in and sign-out. The token is checked against the API before it is stored, so a typo is
// reported here and not as a 401 on the next page.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeNextPath, TOKEN_COOKIE, TOKEN_COOKIE_MAX_AGE_S } from '../../lib/auth';
import { webSettings } from '../../lib/settings';
import { checkToken } from '../../lib/token-check';

export interface SignInState {
  error: string | null;
}

const MESSAGES = {
  rejected: 'The server does not accept this token. Check that you copied all of it and that it has not been revoked.',
  forbidden: 'This token is valid but may not read the fleet. Ask an admin for a viewer token or better.',
  unreachable: 'The Signalbox API does not answer, so the token cannot be checked.',
  unexpected: 'The server answered in an unexpected way.',
} as const;

export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const token = String(form.get('token') ?? '').trim();
  const next = safeNextPath(String(form.get('next') ?? '/'));
  if (!token) return { error: 'Paste an API token to sign in.' };
  const check = await checkToken(webSettings().apiUrl, token);
  if (!check.ok) return { error: `${MESSAGES[check.reason]} (${check.detail})` };
  if (check.who.role === null) {
    // The ingest token answers whoami too, but may not read the fleet.
    return { error: `${MESSAGES.forbidden} (this is the ${check.who.kind} credential "${check.who.name}")` };
  }
  const forwardedProto = (await headers()).get('x-forwarded-proto');
  (await cookies()).set(TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: forwardedProto === 'https',
    path: '/',
    maxAge: TOKEN_COOKIE_MAX_AGE_S,
  });
  redirect(next);
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(TOKEN_COOKIE);
  redirect('/sign-in?signed_out=1');
}
