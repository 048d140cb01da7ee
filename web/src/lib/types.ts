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

// ---- Risk module (ISO/IEC 27001 6.1.2) ----

export interface ScaleLevel {
  value: number;
  label: string;
  description: string;
}

export interface RiskBand {
  name: string;
  min_score: number;
  max_score: number;
  colour: string;
}

/** The criteria a manager edits: a PUT sends all of them. */
export interface MethodologyCriteria {
  likelihood_scale: ScaleLevel[];
  impact_scale: ScaleLevel[];
  scoring: 'product';
  bands: RiskBand[];
  acceptance_threshold: number;
  reassessment_interval_months: number;
}

export type MethodologyStatus = 'draft' | 'approved' | 'superseded' | 'discarded';

/** One version of the risk methodology. */
export interface Methodology extends MethodologyCriteria {
  id: string;
  version: number;
  status: MethodologyStatus;
  max_score: number;
  created_by_id: string | null;
  created_by_email: string;
  approved_by_id: string | null;
  approved_by_email: string | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The version in force, with the draft awaiting approval. `etag_version` is what a PUT names. */
export interface MethodologyState extends Methodology {
  draft: Methodology | null;
  etag_version: number;
}

export type AssetType = 'information' | 'software' | 'hardware' | 'service' | 'people' | 'site' | 'supplier';
export const ASSET_TYPES: readonly AssetType[] = [
  'information',
  'software',
  'hardware',
  'service',
  'people',
  'site',
  'supplier',
];

export type Classification = 'public' | 'internal' | 'confidential' | 'restricted';
export const CLASSIFICATIONS: readonly Classification[] = ['public', 'internal', 'confidential', 'restricted'];

/** An asset in the scope of the risk assessment. */
export interface Asset {
  id: string;
  ref: string;
  name: string;
  type: AssetType;
  owner_id: string;
  location: string;
  classification: Classification;
  confidentiality: number | null;
  integrity: number | null;
  availability: number | null;
  description: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssetInput {
  name: string;
  type: AssetType | '';
  owner_id: string;
  location: string;
  classification: Classification;
  confidentiality: number | null;
  integrity: number | null;
  availability: number | null;
  description: string;
}

export type AssetSortField = 'ref' | 'name' | 'type' | 'classification' | 'created_at' | 'updated_at';
export type AssetSort = AssetSortField | `-${AssetSortField}`;

export interface AssetQuery {
  limit?: number;
  cursor?: string | null;
  sort?: AssetSort;
  q?: string;
  type?: AssetType | '';
  classification?: Classification | '';
  owner_id?: string;
}

// ---------------------------------------------------------------- risk register (6.1.2, 6.1.3)

export type TreatmentOption = 'undecided' | 'mitigate' | 'transfer' | 'avoid' | 'accept';
export const TREATMENT_OPTIONS: readonly TreatmentOption[] = ['undecided', 'mitigate', 'transfer', 'avoid', 'accept'];
export type RiskStatus = 'open' | 'closed';

export interface RiskAcceptance {
  by_id: string;
  by_email: string;
  at: string;
  rationale: string;
  expires_on: string;
  expired: boolean;
}

/** A risk of the register; scores, levels and `above_threshold` are computed by the server. */
export interface Risk {
  id: string;
  ref: string;
  title: string;
  description: string;
  threat: string;
  vulnerability: string;
  asset_ids: string[];
  owner_id: string;
  likelihood: number;
  impact: number;
  inherent_score: number;
  inherent_level: string;
  treatment: TreatmentOption;
  treatment_rationale: string;
  transfer_to: string;
  residual_likelihood: number | null;
  residual_impact: number | null;
  residual_score: number | null;
  residual_level: string | null;
  status: RiskStatus;
  last_assessed_on: string | null;
  next_review_on: string | null;
  above_threshold: boolean;
  acceptance: RiskAcceptance | null;
  open_treatments: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RiskInput {
  title: string;
  description: string;
  threat: string;
  vulnerability: string;
  owner_id: string;
  likelihood: number;
  impact: number;
  treatment: TreatmentOption;
  treatment_rationale: string;
  transfer_to: string;
  residual_likelihood: number | null;
  residual_impact: number | null;
  status: RiskStatus;
}

export type RiskSortField = 'ref' | 'title' | 'inherent_score' | 'residual_score' | 'next_review_on' | 'created_at' | 'updated_at';
export type RiskSort = RiskSortField | `-${RiskSortField}`;

export interface RiskQuery {
  limit?: number;
  cursor?: string | null;
  sort?: RiskSort;
  q?: string;
  treatment?: TreatmentOption | '';
  status?: RiskStatus | '';
  owner_id?: string;
  level?: string;
}

export type TreatmentStatus = 'planned' | 'in_progress' | 'done' | 'cancelled';

/** One action of the risk treatment plan (6.1.3 e, 8.3). */
export interface Treatment {
  id: string;
  ref: string;
  risk_id: string;
  title: string;
  description: string;
  owner_id: string | null;
  due_on: string | null;
  status: TreatmentStatus;
  version: number;
  created_at: string;
  updated_at: string;
}
