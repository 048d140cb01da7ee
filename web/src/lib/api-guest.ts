// Guest auditors (ISO 27001 A.5.15, A.5.18, A.8.15; ADR 0018): time-boxed, read-only access
// for a certification body's auditor, and the log of their requests. Uses the shared client.

import { request, seg, withVersion } from './api';
import type { Membership } from './types';

export type GuestStatus = 'scheduled' | 'active' | 'expired' | 'revoked';

export interface GuestGrant {
  id: string;
  org_id: string;
  user_id: string;
  email: string;
  display_name: string;
  firm: string;
  note: string;
  starts_at: string;
  ends_at: string;
  revoked_at: string | null;
  invited_by: string;
  status: GuestStatus;
  remaining_seconds: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface GuestAccessRow {
  id: string;
  user_id: string;
  grant_id: string;
  method: string;
  path: string;
  status: number;
  request_id: string;
  at: string;
}

export interface NewGuest {
  email: string;
  firm: string;
  note?: string;
  starts_at?: string;
  ends_at: string;
}

/** A membership of /auth/me; `guest_until` is set for a guest auditor. */
export interface GuestMembership extends Membership {
  guest_until?: string;
}

export function guestUntil(m: Membership | undefined): string | undefined {
  return (m as GuestMembership | undefined)?.guest_until;
}

export const guests = {
  async list(org: string): Promise<GuestGrant[]> {
    return (await request<{ items: GuestGrant[] }>('GET', `/orgs/${seg(org)}/guests`)).data.items;
  },
  async invite(org: string, guest: NewGuest): Promise<GuestGrant> {
    return withVersion(await request<GuestGrant>('POST', `/orgs/${seg(org)}/guests`, { body: guest }));
  },
  async extend(org: string, grant: GuestGrant, endsAt: string): Promise<GuestGrant> {
    return withVersion(
      await request<GuestGrant>('PATCH', `/orgs/${seg(org)}/guests/${seg(grant.id)}`, {
        body: { ends_at: endsAt },
        ifMatch: grant.version,
      }),
    );
  },
  async revoke(org: string, grant: GuestGrant): Promise<GuestGrant> {
    return withVersion(
      await request<GuestGrant>('POST', `/orgs/${seg(org)}/guests/${seg(grant.id)}/revoke`, {
        ifMatch: grant.version,
      }),
    );
  },
  async accessLog(org: string, guest: string, cursor?: string): Promise<{ items: GuestAccessRow[]; next_cursor: string | null }> {
    return (
      await request<{ items: GuestAccessRow[]; next_cursor: string | null }>('GET', `/orgs/${seg(org)}/guest-access-log`, {
        query: { guest, limit: 50, cursor },
      })
    ).data;
  },
};

/** "3 days 4 h", "5 h 10 min", "12 min": what is left of a grant. */
export function remaining(seconds: number): string {
  if (seconds <= 0) return '—';
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${minutes ? ` ${minutes} min` : ''}`;
  return `${Math.max(minutes, 1)} min`;
}
