// Who is signed in and which organizations they belong to. The CSRF token lives in api.ts.

import { auth } from './api';
import type { Membership, User } from './types';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in' | 'error';

class Session {
  status = $state<SessionStatus>('loading');
  user = $state<User | null>(null);
  memberships = $state<Membership[]>([]);
  /** Why the session could not be loaded (status 'error'), or why it ended. */
  message = $state<string | null>(null);

  membership(org: string | null | undefined): Membership | undefined {
    return org ? this.memberships.find((m) => m.org_id === org) : undefined;
  }

  /** Asks the server who is signed in; a 401 means nobody. */
  async load(): Promise<void> {
    try {
      const me = await auth.me();
      if (me) {
        this.user = me.user;
        this.memberships = me.memberships ?? [];
        this.status = 'signed-in';
      } else {
        this.clear('signed-out');
      }
    } catch (err) {
      this.message = err instanceof Error ? err.message : String(err);
      this.status = 'error';
    }
  }

  /** Re-reads the memberships (after creating an organization, for example). */
  async refresh(): Promise<void> {
    const me = await auth.me();
    if (me) {
      this.user = me.user;
      this.memberships = me.memberships ?? [];
    } else {
      this.clear('signed-out');
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    await auth.login(email, password);
    this.message = null;
    await this.refresh();
    if (this.user) this.status = 'signed-in';
  }

  /** Signs out; answers the identity provider's sign-out page to go to, if there is one. */
  async signOut(): Promise<string | null> {
    try {
      return await auth.logout();
    } finally {
      this.clear('signed-out');
    }
  }

  /** The server said 401 to a request: the session expired or was revoked elsewhere. */
  expired(): void {
    if (this.status !== 'signed-in') return;
    this.clear('signed-out');
    this.message = 'Your session has ended. Please sign in again.';
  }

  private clear(status: SessionStatus): void {
    this.user = null;
    this.memberships = [];
    this.status = status;
  }
}

export const session = new Session();
