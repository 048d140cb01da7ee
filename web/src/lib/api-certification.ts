// The certification pack (issue 7 item 5): GET …/certification-pack[?as_of=] answers a ZIP
// of the mandatory documented information a stage 1 auditor asks for. Types and clients of
// this module only; see api.ts for `request`.
import { seg } from './api';
import type { Role } from './types';

/** The roles that may take the pack out (the server answers 403 to the others). */
export const PACK_ROLES: readonly Role[] = ['admin', 'manager', 'auditor'];

export function canExportPack(role: Role | undefined): boolean {
  return role !== undefined && PACK_ROLES.includes(role);
}

export const certificationPack = {
  /**
   * Where the pack is downloaded: a plain link, authorized by the session cookie, so the
   * browser streams the ZIP to disk instead of holding it in a script. `asOf` is a day
   * YYYY-MM-DD; empty means today.
   */
  url(org: string, asOf?: string): string {
    const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : '';
    return `/api/v1/orgs/${seg(org)}/certification-pack${query}`;
  },
};
