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
  scoring: RiskScoring;
  /** With scoring "matrix": matrix[likelihood - 1][impact - 1] is the score. */
  matrix?: number[][];
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
  /** The org's controls (SoA rows) that treat this risk. */
  control_ids?: string[];
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
  control_ids: string[];
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
  /** A heat-map cell: the rating on `basis` (default inherent). */
  likelihood?: number;
  impact?: number;
  basis?: HeatmapBasis;
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
  /** What was done; recorded when the action is done. */
  completion_note: string;
  /** The SoA control the action implements, if any. */
  control_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One problem of an imported risk register file; line 1 is the header. */
export interface RiskImportProblem {
  line: number;
  field: string;
  message: string;
}

/** What a risk register import did or, for a dry run, would do. */
export interface RiskImportReport {
  dry_run: boolean;
  created: number;
  updated: number;
  errors: RiskImportProblem[];
}

// ---------------------------------------------------------------- controls, SoA, frameworks (6.1.3)

/** A catalog of requirements: ISO/IEC 27001:2022 built in, others imported from OSCAL. */
export interface Framework {
  id: string;
  key: string;
  title: string;
  version: string;
  source: 'builtin' | 'oscal';
  oscal_uuid: string | null;
  requirement_count: number;
  created_at: string;
}

/** The answer to an OSCAL catalog import: the framework and what it brought. */
export interface FrameworkImport extends Framework {
  imported: { groups: number; controls: number; enhancements: number };
}

export interface RequirementAttributes {
  control_type: string[];
  security_properties: string[];
  cybersecurity_concepts: string[];
  operational_capabilities: string[];
  security_domains: string[];
}

/** One entry of a framework: a clause, theme, group, control or enhancement. */
export interface Requirement {
  id: string;
  framework_id: string;
  ref_id: string;
  kind: string;
  title: string;
  parent_ref: string | null;
  theme: string;
  text: string;
  guidance: string;
  withdrawn: boolean;
  attributes: RequirementAttributes;
  params: unknown[] | null;
  parts: unknown[] | null;
}

export interface RequirementQuery {
  limit?: number;
  cursor?: string | null;
  q?: string;
  kind?: string;
  parent?: string;
}

export interface FrameworkMapping {
  source_ref: string;
  target_framework_id: string;
  target_ref: string;
  relationship: string;
}

export type ImplementationStatus = 'not_started' | 'planned' | 'partially_implemented' | 'implemented';
export const IMPLEMENTATION_STATUSES: readonly ImplementationStatus[] = [
  'not_started',
  'planned',
  'partially_implemented',
  'implemented',
];

/** Why a control is included; `risk_treatment` is derived by the server from linked risks. */
export const INCLUSION_REASONS: readonly string[] = ['legal_regulatory', 'contractual', 'business', 'best_practice'];

export interface ControlRiskLink {
  id: string;
  ref: string;
  title: string;
  treatment: TreatmentOption;
}

export interface ControlRequirementLink {
  framework_id: string;
  ref_id: string;
  title: string;
}

/** A row of the Statement of Applicability (an Annex A control or a custom one). */
export interface Control {
  id: string;
  org_id: string;
  ref_id: string;
  title: string;
  framework_id: string | null;
  theme: string;
  custom: boolean;
  applicable: boolean | null;
  justification: string;
  inclusion_reasons: string[];
  implementation_status: ImplementationStatus;
  owner_id: string | null;
  owner_email: string | null;
  implementation: string;
  last_reviewed_on: string | null;
  risk_ids: string[];
  risks: ControlRiskLink[];
  evidence_ids: string[];
  /** How many of the evidence_ids are past their valid_until. */
  evidence_expired?: number;
  /** Present in the SoA's rows (and possibly elsewhere): what the control answers. */
  requirements?: ControlRequirementLink[];
  version: number;
  created_at: string;
  updated_at: string;
}

/** The fields a PATCH may change (title only for custom controls). */
export interface ControlInput {
  applicable: boolean | null;
  justification: string;
  inclusion_reasons: string[];
  implementation_status: ImplementationStatus;
  owner_id: string | null;
  implementation: string;
  last_reviewed_on: string | null;
  title: string;
}

export interface NewControlInput extends Partial<ControlInput> {
  ref_id: string;
  title: string;
}

export type ControlSortField = 'ref_id' | 'title' | 'implementation_status' | 'updated_at';
export type ControlSort = ControlSortField | `-${ControlSortField}`;
export type Applicability = 'true' | 'false' | 'undecided';

export interface ControlQuery {
  limit?: number;
  cursor?: string | null;
  sort?: ControlSort | '';
  q?: string;
  theme?: string;
  applicable?: Applicability | '';
  implementation_status?: ImplementationStatus | '';
  owner_id?: string;
}

export interface SoaSummary {
  total: number;
  applicable: number;
  excluded: number;
  undecided: number;
  implemented: number;
  partially_implemented: number;
  planned: number;
  not_started: number;
}

/** An approved, immutable version of the Statement of Applicability. */
export interface SoaVersion {
  number: number;
  notes: string;
  approved_by_id: string | null;
  approved_by_email: string | null;
  approved_at: string;
  row_count: number;
  sha256: string;
}

export interface SoaVersionWithRows extends SoaVersion {
  rows: Control[];
}

export interface Soa {
  framework_id: string;
  rows: Control[];
  summary: SoaSummary;
  latest_version: SoaVersion | null;
  changed_since_latest_version: boolean;
}

export interface SoaFieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface SoaChange {
  ref_id: string;
  title: string;
  change: 'added' | 'removed' | 'changed';
  fields: SoaFieldChange[];
}

export interface SoaDiff {
  from: number;
  to: number | null;
  changes: SoaChange[];
}

export type SoaExportFormat = 'xlsx' | 'pdf' | 'csv' | 'json' | 'oscal';

export type CoverageStatus = 'covered' | 'partial' | 'not_covered';

export interface CoverageItem {
  ref_id: string;
  title: string;
  status: CoverageStatus;
  controls: { ref_id: string; implementation_status: ImplementationStatus; applicable: boolean | null }[];
}

export interface Coverage {
  framework_id: string;
  total: number;
  covered: number;
  partial: number;
  not_covered: number;
  percent: number;
  items: CoverageItem[];
}

// ---------------------------------------------------------------- risk analysis (6.1.2, 6.1.3, 8.2, 8.3)

/** How likelihood and impact combine into a score: their product, or a matrix the org sets. */
export type RiskScoring = 'product' | 'matrix';

export type HeatmapBasis = 'inherent' | 'residual';

/** One cell of a heat map: a likelihood × impact rating and the open risks rated there. */
export interface HeatmapCell {
  likelihood: number;
  impact: number;
  score: number;
  level: string;
  colour: string;
  count: number;
  /** Absent when the heat map was asked for counts only (`ids=false`). */
  risk_ids?: string[];
}

/** Open risks counted by rating; every cell of the scales, likelihood-major, both ascending. */
export interface Heatmap {
  basis: HeatmapBasis;
  likelihood_scale: ScaleLevel[];
  impact_scale: ScaleLevel[];
  bands: RiskBand[];
  /** On the residual basis: risks without a residual rating, counted at their inherent one. */
  without_residual: number;
  cells: HeatmapCell[];
}

/** One risk as rated: a row of a retained assessment, or of the register today. */
export interface RatedRisk {
  id: string;
  ref: string;
  title: string;
  description: string;
  threat: string;
  vulnerability: string;
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
  accepted_by_email: string | null;
  acceptance_expires_on: string | null;
}

/** A treatment action as the plan shows it. */
export interface PlannedTreatment extends Treatment {
  overdue: boolean;
}

export interface TreatmentPlanEntry {
  risk: RatedRisk;
  actions: PlannedTreatment[];
}

/** The risk treatment plan (6.1.3 e, 8.3): open risks needing treatment or with actions, by ref. */
export interface TreatmentPlan {
  as_of: string;
  items: TreatmentPlanEntry[];
  summary: { actions: number; open: number; overdue: number };
  next_cursor: string | null;
}

export type RiskExportFormat = 'csv' | 'xlsx';

/** A retained, immutable copy of the register and of the methodology in force (8.2). */
export interface RiskAssessment {
  id: string;
  ref: string;
  name: string;
  notes: string;
  taken_by_id: string;
  taken_by_email: string;
  taken_at: string;
  risk_count: number;
  methodology: MethodologyCriteria & { version: number };
}

export interface RiskFieldChange {
  field: string;
  from: string;
  to: string;
}

export interface RiskChange {
  id: string;
  ref: string;
  title: string;
  from: RatedRisk;
  to: RatedRisk;
  fields: RiskFieldChange[];
}

/** Two states of the register compared; `to` null: the register today. */
export interface RiskAssessmentComparison {
  from: RiskAssessment;
  to: RiskAssessment | null;
  added: RatedRisk[];
  removed: RatedRisk[];
  rerated: RiskChange[];
  changed: RiskChange[];
}

/** A risk whose stored rating the methodology in force no longer fits. */
export interface RiskReRating {
  id: string;
  ref: string;
  title: string;
  likelihood: number;
  impact: number;
  inherent_score: number;
  inherent_level: string;
  residual_likelihood: number | null;
  residual_impact: number | null;
  reasons: string[];
}

// ---- Interested parties (ISO/IEC 27001 4.2), roles and RACI (5.3), leadership records (5.1) ----

export type PartyCategory =
  | 'customer'
  | 'regulator'
  | 'supplier'
  | 'employee'
  | 'shareholder'
  | 'partner'
  | 'authority'
  | 'other';

export type RequirementSource = 'law' | 'regulation' | 'contract' | 'standard' | 'policy' | 'expectation' | 'other';

/** A requirement of an interested party (4.2 b) and whether the ISMS addresses it (4.2 c). */
export interface PartyRequirement {
  /** Absent for a requirement not saved yet; kept across edits. */
  id?: string;
  text: string;
  addressed_by_isms: boolean;
  how: string;
  source: RequirementSource | null;
}

export interface InterestedParty {
  id: string;
  ref: string;
  name: string;
  category: PartyCategory;
  contact: string;
  requirements: PartyRequirement[];
  unaddressed_count: number;
  reviewed_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface InterestedPartyInput {
  name: string;
  category: PartyCategory;
  contact: string;
  requirements: PartyRequirement[];
  reviewed_on: string | null;
}

export type InterestedPartySort = 'name' | '-name' | 'ref' | '-ref' | 'category' | '-category' | 'reviewed_on' | '-reviewed_on' | 'updated_at' | '-updated_at';

export interface InterestedPartyQuery {
  limit?: number;
  cursor?: string | null;
  sort?: InterestedPartySort;
  q?: string;
  category?: PartyCategory | '';
  has_unaddressed?: 'true' | 'false' | '';
}

/** A role of the ISMS with its responsibilities and authorities (5.3). */
export interface IsmsRole {
  id: string;
  ref: string;
  name: string;
  description: string;
  responsibilities: string;
  authorities: string;
  assignee_ids: string[];
  top_management: boolean;
  isms_owner: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface IsmsRoleInput {
  name: string;
  description: string;
  responsibilities: string;
  authorities: string;
  assignee_ids: string[];
  top_management: boolean;
  isms_owner: boolean;
}

export interface IsmsRoleQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  top_management?: 'true' | 'false' | '';
}

export type RaciLetter = 'R' | 'A' | 'C' | 'I';

export interface RaciAssignment {
  process: string;
  role_id: string;
  responsibility: RaciLetter;
}

export interface RaciMatrix {
  version: number;
  processes: { key: string; name: string; clause: string }[];
  roles: { id: string; ref: string; name: string; top_management: boolean; isms_owner: boolean }[];
  assignments: RaciAssignment[];
  updated_by_email: string;
  updated_at: string | null;
}

export type LeadershipRecordKind = 'commitment' | 'resource_decision' | 'other';

/** A commitment or resource decision of top management (5.1). */
export interface LeadershipRecord {
  id: string;
  ref: string;
  kind: LeadershipRecordKind;
  date: string;
  decision: string;
  /** Amount as a decimal string with two decimals ("1200.00"). */
  budget: { amount: string; currency: string } | null;
  decided_by: string;
  /** A management review (9.3), stored as given until that module exists. */
  management_review_id: string | null;
  notes: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface LeadershipRecordInput {
  kind: LeadershipRecordKind;
  date: string;
  decision: string;
  budget: { amount: string; currency: string } | null;
  decided_by: string;
  management_review_id: string | null;
  notes: string;
}

export interface LeadershipRecordQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  kind?: LeadershipRecordKind | '';
}

// ---------------------------------------------------------------- evidence (7.5, 8.1)

export type EvidenceKind = 'file' | 'link' | 'note';
export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['file', 'link', 'note'];

/** A stored file: its SHA-256 (its name in the blob store) and the type the server detected. */
export interface EvidenceFile {
  sha256: string;
  size: number;
  filename: string;
  content_type: string;
}

/** A file, link or note that shows controls operate. */
export interface Evidence {
  id: string;
  org_id: string;
  ref: string;
  kind: EvidenceKind;
  title: string;
  description: string;
  url: string | null;
  note: string | null;
  file: EvidenceFile | null;
  owner_id: string | null;
  owner_email: string | null;
  collected_on: string | null;
  valid_until: string | null;
  expired: boolean;
  archived: boolean;
  control_ids: string[];
  controls: { id: string; ref_id: string; title: string }[];
  version: number;
  created_at: string;
  updated_at: string;
}

/** The fields a client sets (url for links, note for notes). */
export interface EvidenceInput {
  title: string;
  description: string;
  url: string;
  note: string;
  control_ids: string[];
  owner_id: string | null;
  collected_on: string | null;
  valid_until: string | null;
  archived: boolean;
}

export interface EvidenceQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  kind?: EvidenceKind | '';
  control_id?: string;
  owner_id?: string;
  expired?: 'true' | 'false' | '';
  expiring_before?: string;
  archived?: boolean;
}

// ------------------------------------------------------------------ documents (4.3, 5.2, 7.5)

export type DocumentType = 'policy' | 'scope' | 'procedure' | 'standard' | 'plan' | 'record' | 'other';
export type DocumentStatus = 'draft' | 'in_review' | 'approved' | 'published' | 'superseded';

export interface DocumentDistribution {
  all_members: boolean;
  user_ids: string[];
  /** ISMS roles (leadership, 5.3): their holders must read the document. */
  role_ids: string[];
}

export interface ScopeExclusion {
  text: string;
  justification: string;
}

export interface DocumentScope {
  scope_units: string[];
  scope_locations: string[];
  scope_processes: string[];
  scope_asset_ids: string[];
  exclusions: ScopeExclusion[];
  interfaces: string[];
}

export interface DocumentRecord {
  id: string;
  ref: string;
  type: DocumentType;
  title: string;
  owner_id: string;
  classification: string;
  review_interval_months: number;
  next_review_on: string | null;
  overdue_review: boolean;
  retention_months: number | null;
  distribution: DocumentDistribution;
  is_security_policy: boolean;
  scope: DocumentScope | null;
  status: DocumentStatus;
  latest_version: number;
  published_version: number | null;
  published_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DocumentInput {
  ref?: string;
  type: DocumentType;
  title: string;
  owner_id?: string;
  classification?: string;
  review_interval_months?: number;
  next_review_on?: string | null;
  retention_months?: number | null;
  distribution?: DocumentDistribution;
  is_security_policy?: boolean;
  scope?: DocumentScope | null;
}

export interface DocumentQuery {
  cursor?: string | null;
  limit?: number;
  sort?: string;
  q?: string;
  type?: DocumentType | '';
  status?: DocumentStatus | '';
  owner_id?: string;
  overdue?: 'true' | '';
  to_acknowledge?: 'me' | '';
}

export interface DocumentSignature {
  by_id: string;
  by_email: string;
  at: string;
  comment?: string;
}

export interface DocumentVersion {
  id: string;
  document_id: string;
  number: number;
  content: string;
  change_summary: string;
  status: DocumentStatus;
  author_id: string;
  author_email: string;
  submitted_at: string | null;
  approval: DocumentSignature | null;
  rejection: DocumentSignature | null;
  publication: DocumentSignature | null;
  superseded_at: string | null;
  sha256: string | null;
  /** Files frozen with the version; a new draft starts with those of the one before. */
  attachments: DocumentAttachment[];
  version: number;
  created_at: string;
  updated_at: string;
}

/** A file attached to a document version (7.5.3); the server detected its type. */
export interface DocumentAttachment {
  id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  added_by_id: string;
  added_by_email: string;
  added_at: string;
}

export type DocumentStep = 'submit' | 'approve' | 'reject' | 'publish';

export interface DocumentAcknowledgment {
  user_id: string;
  email: string;
  at?: string;
  version_number?: number;
}

export interface DocumentAcknowledgments {
  version_number: number | null;
  acknowledged: DocumentAcknowledgment[];
  pending: DocumentAcknowledgment[];
  earlier: DocumentAcknowledgment[];
}

export interface DocumentDiffLine {
  kind: 'context' | 'added' | 'removed';
  text: string;
  old_line: number | null;
  new_line: number | null;
}

export interface DocumentDiff {
  from: number;
  to: number;
  hunks: { old_start: number; old_count: number; new_start: number; new_count: number; lines: DocumentDiffLine[] }[];
  unified: string;
}
