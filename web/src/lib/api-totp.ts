// The second factor (TOTP with recovery codes, ISO 27001 A.8.5) and the organization
// setting that requires it. Uses the shared client of api.ts.

import { request, seg, setCsrfToken, withVersion } from './api';
import type { LoginResponse, Membership, Role } from './types';

/** The problem type of a sign-in that needs (or refused) the code. */
export const OTP_REQUIRED = 'urn:certus:problem:otp-required';
/** The problem type of an organization's route for a member without a second factor. */
export const SECOND_FACTOR_REQUIRED = 'urn:certus:problem:second-factor-required';

export interface SecondFactorStatus {
  totp_enabled: boolean;
  totp_pending: boolean;
  recovery_codes_remaining: number;
}

export interface MembershipWithRule extends Membership {
  require_second_factor?: boolean;
}

/**
 * How the session was opened (ADR 0020). An organization that requires two-step sign-in
 * admits only sessions opened with a second factor: password+totp, password+recovery or
 * oidc+mfa (the identity provider reported one). API tokens read `api_token`.
 */
export type AuthMethod = 'password' | 'password+totp' | 'password+recovery' | 'oidc' | 'oidc+mfa' | 'api_token';

/** Whether a session opened this way meets an organization's two-step sign-in rule. */
export function withSecondFactor(method: AuthMethod | undefined): boolean {
  return method === 'password+totp' || method === 'password+recovery' || method === 'oidc+mfa' || method === 'api_token';
}

export interface MeWithSecondFactor {
  second_factor: SecondFactorStatus;
  memberships: MembershipWithRule[];
  auth_method?: AuthMethod;
}

export interface TotpEnrollment {
  secret: string;
  otpauth_uri: string;
}

export interface RecoveryCodes {
  recovery_codes: string[];
  second_factor: SecondFactorStatus;
}

export interface OrgSettings {
  id: string;
  name: string;
  role: Role;
  require_second_factor: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Signs in; `otp` is a current code or a recovery code when the account has a second factor. */
export async function login(email: string, password: string, otp?: string): Promise<LoginResponse> {
  const body: Record<string, string> = { email, password };
  if (otp) body.otp = otp;
  const { data } = await request<LoginResponse>('POST', '/auth/login', { body, quiet401: true });
  setCsrfToken(data.csrf_token);
  return data;
}

export const secondFactor = {
  async status(): Promise<MeWithSecondFactor> {
    return (await request<MeWithSecondFactor>('GET', '/auth/me')).data;
  },
  async start(): Promise<TotpEnrollment> {
    return (await request<TotpEnrollment>('POST', '/me/totp')).data;
  },
  async confirm(code: string): Promise<RecoveryCodes> {
    return (await request<RecoveryCodes>('POST', '/me/totp/confirm', { body: { code } })).data;
  },
  async regenerate(code: string): Promise<RecoveryCodes> {
    return (await request<RecoveryCodes>('POST', '/me/recovery-codes', { body: { code } })).data;
  },
  /** Proven by the password or a current code. */
  async disable(proof: { password?: string; code?: string }): Promise<void> {
    await request<void>('DELETE', '/me/totp', { body: proof });
  },
};

export const orgSettings = {
  async get(org: string): Promise<OrgSettings> {
    return withVersion(await request<OrgSettings>('GET', `/orgs/${seg(org)}`));
  },
  async setRequireSecondFactor(org: string, value: boolean, version: number): Promise<OrgSettings> {
    return withVersion(
      await request<OrgSettings>('PATCH', `/orgs/${seg(org)}`, {
        body: { require_second_factor: value },
        ifMatch: version,
      }),
    );
  },
};
