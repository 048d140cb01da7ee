// Communication (ISO/IEC 27001 clause 7.4): the communication plan and the log of
// communications made; planning of changes (6.3): ISMS changes from plan to review. Types
// and clients of the module, beside the shared ones in api.ts.

import { orgCollection, request, seg, withVersion } from './api';

export type Frequency = 'one_off' | 'monthly' | 'quarterly' | 'yearly' | 'on_event';
export type Channel = 'email' | 'intranet' | 'meeting' | 'training' | 'report' | 'other';
export type Direction = 'internal' | 'external';
export type ChangeStatus =
  | 'planned'
  | 'submitted'
  | 'approved'
  | 'in_progress'
  | 'implemented'
  | 'reviewed'
  | 'rejected'
  | 'cancelled';
export type ChangeStep = 'submit' | 'approve' | 'reject' | 'start' | 'implement' | 'review' | 'cancel';

export const FREQUENCIES: { value: Frequency; label: string }[] = [
  { value: 'one_off', label: 'One-off' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'quarterly', label: 'Quarterly' },
  { value: 'yearly', label: 'Yearly' },
  { value: 'on_event', label: 'On an event' },
];
export const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'email', label: 'Email' },
  { value: 'intranet', label: 'Intranet' },
  { value: 'meeting', label: 'Meeting' },
  { value: 'training', label: 'Training' },
  { value: 'report', label: 'Report' },
  { value: 'other', label: 'Other' },
];
export const DIRECTIONS: { value: Direction; label: string }[] = [
  { value: 'internal', label: 'Internal' },
  { value: 'external', label: 'External' },
];
export const CHANGE_STATUSES: { value: ChangeStatus; label: string }[] = [
  { value: 'planned', label: 'Planned' },
  { value: 'submitted', label: 'Awaiting approval' },
  { value: 'approved', label: 'Approved' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'implemented', label: 'Implemented' },
  { value: 'reviewed', label: 'Reviewed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
];

export function labelOf<T extends string>(options: { value: T; label: string }[], value: string | null | undefined): string {
  return options.find((o) => o.value === value)?.label ?? value ?? '—';
}

// ---------------------------------------------------------------- the plan and the log (7.4)

export interface PlanItem {
  id: string;
  ref: string;
  subject: string;
  audience_party_ids: string[];
  audience_text: string;
  direction: Direction;
  frequency: Frequency;
  due_on: string | null;
  trigger: string;
  owner_id: string;
  channel: Channel;
  notes: string;
  last_communicated_on: string | null;
  next_due_on: string | null;
  overdue: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PlanItemInput {
  subject: string;
  audience_party_ids: string[];
  audience_text: string;
  direction: Direction;
  frequency: Frequency;
  due_on: string | null;
  trigger: string;
  owner_id: string;
  channel: Channel;
  notes: string;
}

export interface PlanItemQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  direction?: Direction | '';
  frequency?: Frequency | '';
  channel?: Channel | '';
  owner_id?: string;
  party_id?: string;
  overdue?: 'true' | '';
}

export interface Communication {
  id: string;
  ref: string;
  plan_item_id: string | null;
  subject: string;
  communicated_on: string;
  audience_party_ids: string[];
  audience_text: string;
  channel: Channel;
  summary: string;
  communicated_by: string;
  author_id: string;
  author_email: string;
  evidence_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CommunicationInput {
  plan_item_id: string | null;
  subject: string;
  communicated_on: string;
  audience_party_ids: string[];
  audience_text: string;
  channel: Channel;
  summary: string;
  communicated_by: string;
  evidence_id: string | null;
}

export interface CommunicationQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  plan_item_id?: string;
  channel?: Channel | '';
  party_id?: string;
  communicated_by?: string;
  from?: string;
  to?: string;
}

export const communicationPlan = orgCollection<PlanItem, PlanItemInput, PlanItemQuery>('communication-plan');
export const communications = orgCollection<Communication, CommunicationInput, CommunicationQuery>('communications');

// ---------------------------------------------------------------- changes (6.3)

export interface Signature {
  user_id: string;
  email: string;
  at: string;
  comment: string;
}

export interface ChangeLink {
  type: 'risk' | 'control' | 'document';
  id: string;
  label: string;
}

export interface IsmsChange {
  id: string;
  ref: string;
  title: string;
  purpose: string;
  consequences: string;
  integrity_considerations: string;
  resources: string;
  owner_id: string;
  responsibilities: string;
  planned_on: string | null;
  status: ChangeStatus;
  risk_ids: string[];
  control_ids: string[];
  document_ids: string[];
  links: ChangeLink[];
  nonconformity_id: string | null;
  notes: string;
  requested_by: string;
  requested_by_email: string;
  submitted_at: string | null;
  approval: Signature | null;
  rejection: Signature | null;
  started_at: string | null;
  implemented_on: string | null;
  implementation: Signature | null;
  review: Signature | null;
  achieved_purpose: boolean | null;
  cancellation: Signature | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ChangeInput {
  title: string;
  purpose: string;
  consequences: string;
  integrity_considerations: string;
  resources: string;
  owner_id: string;
  responsibilities: string;
  planned_on: string | null;
  risk_ids: string[];
  control_ids: string[];
  document_ids: string[];
  nonconformity_id: string | null;
  notes: string;
}

export interface ChangeQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  /** One status or several, comma-separated. */
  status?: string;
  owner_id?: string;
  risk_id?: string;
  control_id?: string;
  document_id?: string;
  nonconformity_id?: string;
}

export interface StepInput {
  comment?: string;
  implemented_on?: string | null;
  achieved_purpose?: boolean;
}

const changeCollection = orgCollection<IsmsChange, ChangeInput, ChangeQuery>('changes');

export const changes = {
  ...changeCollection,
  /** One step of the workflow; `version` makes it fail with 412 if someone changed it since. */
  async step(org: string, id: string, step: ChangeStep, version: number, input: StepInput = {}): Promise<IsmsChange> {
    return withVersion(
      await request<IsmsChange>('POST', `/orgs/${seg(org)}/changes/${seg(id)}/${step}`, { body: input, ifMatch: version }),
    );
  },
};

/** The steps `role` (with user `me`) may take on `change` now, in workflow order. */
export function allowedSteps(change: IsmsChange, role: string | undefined, me: string): ChangeStep[] {
  const manager = role === 'admin' || role === 'manager';
  const involved = manager || (role === 'contributor' && (change.requested_by === me || change.owner_id === me));
  const steps: ChangeStep[] = [];
  switch (change.status) {
    case 'planned':
      if (involved) steps.push('submit', 'cancel');
      break;
    case 'submitted':
      // Approval never by the requester (6.3 with A.5.3); the server says so too.
      if (manager && change.requested_by !== me) steps.push('approve');
      if (manager) steps.push('reject');
      if (involved) steps.push('cancel');
      break;
    case 'approved':
      if (involved) steps.push('start', 'implement', 'cancel');
      break;
    case 'in_progress':
      if (involved) steps.push('implement', 'cancel');
      break;
    case 'implemented':
      if (manager) steps.push('review');
      break;
    default:
      break;
  }
  return steps;
}

/** The badge tone of a change's status (a ToneBadge tone). */
export function changeTone(status: ChangeStatus): 'ok' | 'warn' | 'danger' | 'info' | 'neutral' {
  switch (status) {
    case 'reviewed':
    case 'implemented':
      return 'ok';
    case 'submitted':
      return 'warn';
    case 'approved':
    case 'in_progress':
      return 'info';
    case 'rejected':
      return 'danger';
    default:
      return 'neutral';
  }
}
