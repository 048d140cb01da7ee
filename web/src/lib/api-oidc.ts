// Sign-in methods of the installation: passwords, and OpenID Connect single sign-on when an
// identity provider is configured (ADR 0019). Uses the shared client of api.ts.

import { request } from './api';

export interface SignInMethods {
  password: boolean;
  /** Null when no identity provider is configured. */
  oidc: { label: string; login_url: string } | null;
}

export async function signInMethods(): Promise<SignInMethods> {
  return (await request<SignInMethods>('GET', '/auth/methods')).data;
}

/** Where the "Sign in with …" button goes: the provider, then back to `next`. */
export function oidcLoginHref(loginUrl: string, next: string): string {
  return next && next !== '/' ? `${loginUrl}?next=${encodeURIComponent(next)}` : loginUrl;
}

/** Why a sign-in at the identity provider ended back here (`/signin?oidc_error=…`). */
export function oidcErrorMessage(reason: string, label: string): string {
  switch (reason) {
    case 'unknown_user':
      return `There is no Certus account for the email address ${label} gave. Ask an administrator to add you, then try again.`;
    case 'locked':
      return 'This account is locked. An administrator must unlock it.';
    case 'second_factor':
      return `Your account uses two-step sign-in, and ${label} did not confirm a second factor. Sign in with your password and code instead.`;
    case 'email':
      return `${label} did not confirm your email address, so Certus cannot tell who you are.`;
    case 'linked_elsewhere':
      return `This Certus account is linked to another ${label} identity. Ask an administrator.`;
    case 'denied':
      return `The sign-in at ${label} was cancelled or refused.`;
    case 'state':
      return 'The sign-in took too long or was already used. Try again.';
    case 'unavailable':
    case 'provider':
    case 'token':
      return `${label} could not confirm the sign-in. Try again; if it keeps failing, tell your administrator.`;
    default:
      return 'The single sign-on did not work. Try again.';
  }
}
