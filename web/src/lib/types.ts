// Shapes of the Certus REST API (/api/v1), as the server sends them: snake_case fields,
// RFC 3339 timestamps, YYYY-MM-DD calendar dates, opaque string ids.

export type Role = 'admin' | 'manager' | 'contributor' | 'auditor' | 'viewer';

export const ROLES: readonly Role[] = ['admin', 'manager', 'contributor', 'auditor', 'viewer'];

export interface User {
  id: string;
  email: string;
  display_name: string;
  installation_admin: boolean;
}

export interface Membership {
  org_id: string;
  org_name: string;
  role: Role;
}

export interface LoginResponse {
  user: User;
  csrf_token: string;
}

export interface MeResponse {
  user: User;
  csrf_token: string;
  memberships: Membership[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Org {
  id: string;
  name: string;
  role: Role;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: Role;
  version: number;
  created_at: string;
  updated_at: string;
}

export type IssueKind = 'internal' | 'external';

/** An internal or external issue relevant to the ISMS (ISO/IEC 27001 clause 4.1). */
export interface ContextIssue {
  id: string;
  ref: string;
  kind: IssueKind;
  title: string;
  description: string;
  effect: string;
  reviewed_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The fields a person edits; a PATCH sends any subset of them. */
export interface ContextIssueInput {
  kind: IssueKind | '';
  title: string;
  description: string;
  effect: string;
  reviewed_on: string | null;
}

export type ContextIssueSort =
  | 'ref'
  | '-ref'
  | 'kind'
  | '-kind'
  | 'title'
  | '-title'
  | 'reviewed_on'
  | '-reviewed_on'
  | 'created_at'
  | '-created_at'
  | 'updated_at'
  | '-updated_at';

export interface ContextIssueQuery {
  limit?: number;
  cursor?: string | null;
  sort?: ContextIssueSort;
  q?: string;
  kind?: IssueKind | '';
}

export interface HistoryEvent {
  id: string;
  seq: number;
  occurred_at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: 'create' | 'update' | 'delete';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
