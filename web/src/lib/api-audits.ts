// Internal audit (ISO/IEC 27001 clause 9.2): audit programmes (9.2.2 a), audits with their
// scope, auditors independent of what they audit (9.2.2 b), the checklist, findings that raise
// nonconformities (10.2) and the report to management (9.2.2 d). Types and clients of the
// module, beside the shared ones in api.ts.

import { ApiError, listPage, orgCollection, request, seg, withVersion } from './api';
import type { Page } from './types';

export type AuditStatus = 'planned' | 'in_progress' | 'reported' | 'closed';
export type AuditorRole = 'lead' | 'member';
export type CheckResult = 'conforming' | 'nonconforming' | 'observation' | 'not_audited';
export type FindingType = 'major_nonconformity' | 'minor_nonconformity' | 'observation' | 'opportunity_for_improvement';
export type AuditStep = 'start' | 'report' | 'close';

export const AUDIT_STATUSES: { value: AuditStatus; label: string }[] = [
  { value: 'planned', label: 'Planned' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'reported', label: 'Reported' },
  { value: 'closed', label: 'Closed' },
];
export const CHECK_RESULTS: { value: CheckResult; label: string }[] = [
  { value: 'conforming', label: 'Conforming' },
  { value: 'nonconforming', label: 'Nonconforming' },
  { value: 'observation', label: 'Observation' },
  { value: 'not_audited', label: 'Not audited' },
];
export const FINDING_TYPES: { value: FindingType; label: string }[] = [
  { value: 'major_nonconformity', label: 'Major nonconformity' },
  { value: 'minor_nonconformity', label: 'Minor nonconformity' },
  { value: 'observation', label: 'Observation' },
  { value: 'opportunity_for_improvement', label: 'Opportunity for improvement' },
];

export function labelOf<T extends string>(options: { value: T; label: string }[], value: string | null | undefined): string {
  return options.find((o) => o.value === value)?.label ?? value ?? '—';
}

/** One reason why an auditor would audit their own work (9.2.2 b). */
export interface Conflict {
  type: 'control' | 'risk' | 'treatment' | 'document';
  id: string;
  ref: string;
  reason: string;
  /** On a refused scope change: whose conflict it is. */
  user_id?: string;
  email?: string;
}

export interface Waiver {
  justification: string;
  by: string;
  at: string;
  conflicts: Conflict[];
}

export interface Auditor {
  id: string;
  audit_id: string;
  user_id: string;
  email: string;
  role: AuditorRole;
  waiver: Waiver | null;
  added_by: string;
  added_at: string;
  version: number;
}

export interface AuditReport {
  summary: string;
  conclusion: string;
  distribution: string[];
}

export interface Audit {
  id: string;
  ref: string;
  title: string;
  clause_refs: string[];
  control_ids: string[];
  document_ids: string[];
  departments: string[];
  criteria: string;
  planned_start: string | null;
  planned_end: string | null;
  status: AuditStatus;
  programme_id: string | null;
  report: AuditReport;
  started_on: string | null;
  reported_on: string | null;
  reported_by: string | null;
  closed_on: string | null;
  created_by: string;
  auditors: Auditor[];
  findings_count: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AuditInput {
  title: string;
  clause_refs: string[];
  control_ids: string[];
  document_ids: string[];
  departments: string[];
  criteria: string;
  planned_start: string | null;
  planned_end: string | null;
  programme_id: string | null;
}

export interface AuditQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  status?: AuditStatus | '';
  programme_id?: string;
  q?: string;
}

export interface ChecklistItem {
  id: string;
  audit_id: string;
  position: number;
  requirement_ref: string;
  kind: 'requirement' | 'control';
  control_id: string | null;
  title: string;
  question: string;
  result: CheckResult | null;
  notes: string;
  evidence_links: string[];
  version: number;
}

export interface Finding {
  id: string;
  audit_id: string;
  number: number;
  ref: string;
  type: FindingType;
  requirement_ref: string;
  statement: string;
  evidence: string;
  nonconformity_id: string | null;
  nonconformity_ref: string | null;
  created_by: string;
  created_at: string;
  version: number;
}

export interface FindingInput {
  type: FindingType;
  requirement_ref: string;
  statement: string;
  evidence: string;
}

export interface Programme {
  id: string;
  ref: string;
  name: string;
  cycle_start: string;
  cycle_end: string;
  objectives: string;
  owner_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ProgrammeInput {
  name: string;
  cycle_start: string;
  cycle_end: string;
  objectives: string;
  owner_id: string | null;
}

export type CoverageStatus = 'audited' | 'planned' | 'unaudited';

export interface CoverageRow {
  kind: 'requirement' | 'control';
  ref: string;
  title: string;
  status: CoverageStatus;
  audits: { id: string; ref: string; status: AuditStatus }[];
}

export interface ProgrammeCoverage {
  programme: Programme;
  rows: CoverageRow[];
  totals: { audited: number; planned: number; unaudited: number; total: number };
}

/** The conflicts a 409 carried (9.2.2 b), or none. */
export function conflictsOf(err: unknown): Conflict[] {
  if (!(err instanceof ApiError) || err.status !== 409) return [];
  const conflicts = (err.problem as unknown as { conflicts?: Conflict[] }).conflicts;
  return Array.isArray(conflicts) ? conflicts : [];
}

const base = (org: string) => `/orgs/${seg(org)}/audits`;
const one = (org: string, id: string) => `${base(org)}/${seg(id)}`;

const collection = orgCollection<Audit, AuditInput, AuditQuery>('audits');

export const audits = {
  ...collection,
  async step(org: string, id: string, step: AuditStep, version: number): Promise<Audit> {
    return withVersion(await request<Audit>('POST', `${one(org, id)}/${step}`, { ifMatch: version }));
  },
  async putReport(org: string, id: string, version: number, report: AuditReport): Promise<Audit> {
    return withVersion(await request<Audit>('PUT', `${one(org, id)}/report`, { body: report, ifMatch: version }));
  },
  reportPdfUrl(org: string, id: string): string {
    return `/api/v1${one(org, id)}/report.pdf`;
  },
  async addAuditor(org: string, id: string, userId: string, role: AuditorRole, waiver?: string): Promise<Auditor> {
    const body: Record<string, unknown> = { user_id: userId, role };
    if (waiver !== undefined) body.waiver = { justification: waiver };
    return (await request<Auditor>('POST', `${one(org, id)}/auditors`, { body })).data;
  },
  async removeAuditor(org: string, id: string, userId: string, version: number): Promise<void> {
    await request<void>('DELETE', `${one(org, id)}/auditors/${seg(userId)}`, { ifMatch: version });
  },
  async checklist(org: string, id: string): Promise<ChecklistItem[]> {
    return (await request<{ items: ChecklistItem[] }>('GET', `${one(org, id)}/checklist`)).data.items;
  },
  async generateChecklist(org: string, id: string): Promise<ChecklistItem[]> {
    return (await request<{ items: ChecklistItem[] }>('POST', `${one(org, id)}/checklist`)).data.items;
  },
  async updateItem(
    org: string,
    id: string,
    item: string,
    version: number,
    changes: Partial<Pick<ChecklistItem, 'result' | 'notes' | 'evidence_links'>>,
  ): Promise<ChecklistItem> {
    return withVersion(
      await request<ChecklistItem>('PATCH', `${one(org, id)}/checklist/${seg(item)}`, { body: changes, ifMatch: version }),
    );
  },
  async findings(org: string, id: string): Promise<Finding[]> {
    return (await request<{ items: Finding[] }>('GET', `${one(org, id)}/findings`)).data.items;
  },
  async addFinding(org: string, id: string, input: FindingInput): Promise<Finding> {
    return (await request<Finding>('POST', `${one(org, id)}/findings`, { body: input })).data;
  },
};

const programmeCollection = orgCollection<Programme, ProgrammeInput, { limit?: number; cursor?: string | null }>(
  'audit-programmes',
);

export const auditProgrammes = {
  ...programmeCollection,
  async coverage(org: string, id: string): Promise<ProgrammeCoverage> {
    return (await request<ProgrammeCoverage>('GET', `/orgs/${seg(org)}/audit-programmes/${seg(id)}/coverage`)).data;
  },
  /** Every audit of the programme (all pages). */
  async audits(org: string, id: string): Promise<Audit[]> {
    const out: Audit[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Audit> = await listPage<Audit>(base(org), { programme_id: id, limit: 500, sort: 'planned_start', cursor });
      out.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  },
};
