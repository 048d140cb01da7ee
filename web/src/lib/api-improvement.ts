// Improvement (ISO/IEC 27001 clause 10): nonconformities with their correction, root cause,
// corrective actions and effectiveness reviews (10.2), and opportunities for improvement
// (10.1). Types and clients of the module, beside the shared ones in api.ts.

import { listPage, orgCollection, request, seg, withVersion } from './api';
import type { HistoryEvent, Page } from './types';

export type NcSource =
  | 'internal_audit'
  | 'external_audit'
  | 'incident'
  | 'management_review'
  | 'monitoring'
  | 'complaint'
  | 'other';
export type ImprovementSource = NcSource | 'suggestion';
export type NcSeverity = 'major' | 'minor';
export type NcStatus = 'open' | 'correcting' | 'actions' | 'verifying' | 'closed';
export type RootCauseMethod = 'five_whys' | 'fishbone' | 'fault_tree' | 'other';
export type ActionStatus = 'planned' | 'in_progress' | 'done' | 'cancelled';
export type ImprovementDecision = 'pending' | 'accepted' | 'rejected' | 'deferred';
export type ImprovementStatus = 'open' | 'in_progress' | 'implemented' | 'closed';

export const NC_SOURCES: { value: NcSource; label: string }[] = [
  { value: 'internal_audit', label: 'Internal audit' },
  { value: 'external_audit', label: 'External audit' },
  { value: 'incident', label: 'Incident' },
  { value: 'management_review', label: 'Management review' },
  { value: 'monitoring', label: 'Monitoring' },
  { value: 'complaint', label: 'Complaint' },
  { value: 'other', label: 'Other' },
];
export const IMPROVEMENT_SOURCES: { value: ImprovementSource; label: string }[] = [
  { value: 'suggestion', label: 'Suggestion' },
  ...NC_SOURCES,
];
export const NC_STATUSES: { value: NcStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'correcting', label: 'Correcting' },
  { value: 'actions', label: 'Corrective actions' },
  { value: 'verifying', label: 'Verifying' },
  { value: 'closed', label: 'Closed' },
];
export const ROOT_CAUSE_METHODS: { value: RootCauseMethod; label: string }[] = [
  { value: 'five_whys', label: 'Five whys' },
  { value: 'fishbone', label: 'Fishbone (Ishikawa)' },
  { value: 'fault_tree', label: 'Fault tree' },
  { value: 'other', label: 'Other' },
];
export const ACTION_STATUSES: { value: ActionStatus; label: string }[] = [
  { value: 'planned', label: 'Planned' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
];
export const DECISIONS: { value: ImprovementDecision; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'deferred', label: 'Deferred' },
];
export const IMPROVEMENT_STATUSES: { value: ImprovementStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'implemented', label: 'Implemented' },
  { value: 'closed', label: 'Closed' },
];

export function labelOf<T extends string>(options: { value: T; label: string }[], value: string | null | undefined): string {
  return options.find((o) => o.value === value)?.label ?? value ?? '—';
}

export interface ClosureBlocker {
  code: string;
  message: string;
}

export interface Nonconformity {
  id: string;
  ref: string;
  title: string;
  description: string;
  source: NcSource;
  source_ref: string;
  requirement_ref: string;
  severity: NcSeverity;
  reported_by: string;
  reported_on: string;
  owner_id: string;
  correction: string;
  correction_on: string | null;
  root_cause: string;
  root_cause_method: RootCauseMethod | null;
  similar_check: string;
  change_ids: string[];
  status: NcStatus;
  reopened: boolean;
  reopen_count: number;
  effective_review_id: string | null;
  closed_by: string | null;
  closed_on: string | null;
  actions_total: number;
  actions_done: number;
  actions_overdue: number;
  closure_blockers: ClosureBlocker[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface NonconformityInput {
  title: string;
  description: string;
  source: NcSource;
  source_ref: string;
  requirement_ref: string;
  severity: NcSeverity;
  reported_on: string;
  owner_id: string;
  correction: string;
  correction_on: string | null;
  root_cause: string;
  root_cause_method: RootCauseMethod | null;
  similar_check: string;
  change_ids: string[];
}

export interface NonconformityQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  status?: NcStatus | 'not_closed' | '';
  severity?: NcSeverity | '';
  source?: NcSource | '';
  owner?: string;
}

export interface CorrectiveAction {
  id: string;
  ref: string;
  nonconformity_id: string;
  nonconformity_ref: string;
  title: string;
  owner_id: string;
  due_on: string | null;
  status: ActionStatus;
  completion_note: string;
  done_on: string | null;
  overdue: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CorrectiveActionInput {
  title: string;
  owner_id: string;
  due_on: string | null;
  status: ActionStatus;
  completion_note: string;
}

export interface CorrectiveActionQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  owner?: string;
  overdue?: 'true' | '';
  status?: ActionStatus | '';
  nonconformity_id?: string;
}

export interface EffectivenessReview {
  id: string;
  nonconformity_id: string;
  effective: boolean;
  note: string;
  reviewed_by: string;
  reviewed_on: string;
  version: number;
  created_at: string;
}

export interface Improvement {
  id: string;
  ref: string;
  title: string;
  description: string;
  source: ImprovementSource;
  raised_by: string;
  raised_on: string;
  decision: ImprovementDecision;
  decision_rationale: string;
  decided_by: string | null;
  decided_on: string | null;
  outcome: string;
  owner_id: string | null;
  due_on: string | null;
  status: ImprovementStatus;
  nonconformity_id: string | null;
  overdue: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ImprovementInput {
  title: string;
  description: string;
  source: ImprovementSource;
  decision: ImprovementDecision;
  decision_rationale: string;
  outcome: string;
  owner_id: string | null;
  due_on: string | null;
  status: ImprovementStatus;
  nonconformity_id: string | null;
}

export interface ImprovementQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  status?: ImprovementStatus | '';
  decision?: ImprovementDecision | '';
  source?: ImprovementSource | '';
  nonconformity_id?: string;
}

const ncBase = (org: string, id: string) => `/orgs/${seg(org)}/nonconformities/${seg(id)}`;

export const nonconformities = {
  ...orgCollection<Nonconformity, Partial<NonconformityInput>, NonconformityQuery>('nonconformities'),
  /** Closes it; 409 naming what is missing (the same list as `closure_blockers`). */
  async close(org: string, id: string, version: number): Promise<Nonconformity> {
    return withVersion(await request<Nonconformity>('POST', `${ncBase(org, id)}/close`, { body: {}, ifMatch: version }));
  },
  async actions(org: string, id: string): Promise<CorrectiveAction[]> {
    return (await request<Page<CorrectiveAction>>('GET', `${ncBase(org, id)}/corrective-actions`)).data.items;
  },
  async addAction(org: string, id: string, input: Partial<CorrectiveActionInput>): Promise<CorrectiveAction> {
    return withVersion(await request<CorrectiveAction>('POST', `${ncBase(org, id)}/corrective-actions`, { body: input }));
  },
  async reviews(org: string, id: string): Promise<EffectivenessReview[]> {
    return (await request<Page<EffectivenessReview>>('GET', `${ncBase(org, id)}/effectiveness-reviews`)).data.items;
  },
  /** 409 when the reviewer owns one of the corrective actions or they are not all done. */
  async review(org: string, id: string, effective: boolean, note: string): Promise<EffectivenessReview> {
    return (
      await request<EffectivenessReview>('POST', `${ncBase(org, id)}/effectiveness-reviews`, { body: { effective, note } })
    ).data;
  },
};

export const correctiveActions = {
  list(org: string, query: CorrectiveActionQuery = {}): Promise<Page<CorrectiveAction>> {
    return listPage(`/orgs/${seg(org)}/corrective-actions`, { limit: query.limit ?? 50, ...query });
  },
  async update(org: string, id: string, version: number, changes: Partial<CorrectiveActionInput>): Promise<CorrectiveAction> {
    return withVersion(
      await request<CorrectiveAction>('PATCH', `/orgs/${seg(org)}/corrective-actions/${seg(id)}`, {
        body: changes,
        ifMatch: version,
      }),
    );
  },
  history(org: string, id: string, cursor?: string | null): Promise<Page<HistoryEvent>> {
    return listPage(`/orgs/${seg(org)}/corrective-actions/${seg(id)}/history`, { cursor });
  },
};

export const improvements = orgCollection<Improvement, Partial<ImprovementInput>, ImprovementQuery>('improvements');
