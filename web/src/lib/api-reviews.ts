// Management reviews (ISO/IEC 27001 clause 9.3): the review with its attendees (top
// management among them, 9.3.1), the input pack of 9.3.2 a–g assembled by the server from
// the ISMS's records as of the review's date, notes per input, decisions and actions (9.3.3).
// Types and clients of the module, beside the shared ones in api.ts.

import { orgCollection, request, seg, withVersion } from './api';
import type { Nonconformity } from './api-improvement';
import type { HistoryEvent, Page } from './types';

export type ReviewStatus = 'planned' | 'held' | 'closed';
export type DecisionCategory = 'improvement' | 'change' | 'resources' | 'other';
export type ReviewActionStatus = 'open' | 'in_progress' | 'done' | 'cancelled';

export const REVIEW_STATUSES: { value: ReviewStatus; label: string }[] = [
  { value: 'planned', label: 'Planned' },
  { value: 'held', label: 'Held' },
  { value: 'closed', label: 'Closed' },
];
export const DECISION_CATEGORIES: { value: DecisionCategory; label: string }[] = [
  { value: 'improvement', label: 'Continual improvement' },
  { value: 'change', label: 'Change to the ISMS' },
  { value: 'resources', label: 'Resources' },
  { value: 'other', label: 'Other' },
];
export const REVIEW_ACTION_STATUSES: { value: ReviewActionStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
];

export interface ReviewBlocker {
  code: string;
  message: string;
}

export interface ManagementReview {
  id: string;
  ref: string;
  title: string;
  planned_on: string;
  held_on: string | null;
  status: ReviewStatus;
  attendee_ids: string[];
  input_notes: Record<string, string>;
  closed_by: string | null;
  closed_on: string | null;
  decision_count: number;
  action_count: number;
  closure_blockers: ReviewBlocker[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ManagementReviewInput {
  title: string;
  planned_on: string;
  attendee_ids: string[];
}

export interface ManagementReviewQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  status?: ReviewStatus | '';
}

/** One input of 9.3.2: the records (`data`, shaped per input), readable lines, the notes. */
export interface ReviewInput {
  key: string;
  title: string;
  data: Record<string, unknown>;
  summary: string[];
  notes: string;
}

export interface InputPack {
  as_of: string;
  since: string;
  previous_review_ref: string | null;
  inputs: ReviewInput[];
}

export interface ReviewDecision {
  id: string;
  review_id: string;
  ref: string;
  text: string;
  category: DecisionCategory;
  recorded_by: string;
  version: number;
  created_at: string;
}

export interface ReviewAction {
  id: string;
  review_id: string;
  review_ref: string;
  ref: string;
  title: string;
  owner_id: string;
  due_on: string | null;
  status: ReviewActionStatus;
  done_on: string | null;
  overdue: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ReviewActionInput {
  title: string;
  owner_id: string;
  due_on: string | null;
  status: ReviewActionStatus;
}

const { remove: _remove, ...collection } = orgCollection<ManagementReview, Partial<ManagementReviewInput>, ManagementReviewQuery>(
  'management-reviews',
);
const one = (org: string, id: string) => `/orgs/${seg(org)}/management-reviews/${seg(id)}`;

export const managementReviews = {
  ...collection,
  /** planned → held; 409 (9.3.1) unless an attendee holds a top management role. */
  async hold(org: string, id: string, version: number, heldOn?: string): Promise<ManagementReview> {
    return withVersion(
      await request<ManagementReview>('POST', `${one(org, id)}/hold`, { body: heldOn ? { held_on: heldOn } : {}, ifMatch: version }),
    );
  },
  /** held → closed; 409 naming what is missing (the same list as `closure_blockers`). */
  async close(org: string, id: string, version: number): Promise<ManagementReview> {
    return withVersion(await request<ManagementReview>('POST', `${one(org, id)}/close`, { body: {}, ifMatch: version }));
  },
  async inputs(org: string, id: string): Promise<InputPack> {
    return (await request<InputPack>('GET', `${one(org, id)}/inputs`)).data;
  },
  /** Notes on one input; takes and returns the review's version (If-Match of the review). */
  async setNotes(org: string, id: string, version: number, key: string, notes: string): Promise<ManagementReview> {
    return withVersion(await request<ManagementReview>('PUT', `${one(org, id)}/inputs/${seg(key)}`, { body: { notes }, ifMatch: version }));
  },
  async decisions(org: string, id: string): Promise<ReviewDecision[]> {
    return (await request<Page<ReviewDecision>>('GET', `${one(org, id)}/decisions`)).data.items;
  },
  async addDecision(org: string, id: string, text: string, category: DecisionCategory): Promise<ReviewDecision> {
    return (await request<ReviewDecision>('POST', `${one(org, id)}/decisions`, { body: { text, category } })).data;
  },
  async actions(org: string, id: string): Promise<ReviewAction[]> {
    return (await request<Page<ReviewAction>>('GET', `${one(org, id)}/actions`)).data.items;
  },
  async addAction(org: string, id: string, input: Partial<ReviewActionInput>): Promise<ReviewAction> {
    return withVersion(await request<ReviewAction>('POST', `${one(org, id)}/actions`, { body: input }));
  },
  async updateAction(org: string, actionId: string, version: number, changes: Partial<ReviewActionInput>): Promise<ReviewAction> {
    return withVersion(
      await request<ReviewAction>('PATCH', `/orgs/${seg(org)}/review-actions/${seg(actionId)}`, { body: changes, ifMatch: version }),
    );
  },
  async raiseNonconformity(org: string, id: string, input: { title: string; description?: string; severity?: 'major' | 'minor' }): Promise<Nonconformity> {
    return withVersion(await request<Nonconformity>('POST', `${one(org, id)}/nonconformities`, { body: input }));
  },
  /** Where the minutes PDF is downloaded (a plain link: the session cookie authorizes it). */
  minutesUrl(org: string, id: string): string {
    return `/api/v1${one(org, id)}/minutes.pdf`;
  },
};

export type { HistoryEvent };
