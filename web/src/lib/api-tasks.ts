// Tasks and the calendar (issue 7 item 2): every dated duty of the ISMS, read from the module
// that owns it. GET …/tasks and GET …/calendar; read-only. Types and clients of this module
// only; see api.ts for `request`.
import { request, seg } from './api';

export type TaskKind =
  | 'treatment_action'
  | 'corrective_action'
  | 'review_action'
  | 'document_review'
  | 'risk_review'
  | 'risk_reassessment'
  | 'audit'
  | 'management_review'
  | 'evidence_expiry'
  | 'training'
  | 'measurement';

export interface Task {
  kind: TaskKind;
  source_type: string;
  source_id: string;
  ref: string;
  title: string;
  /** The user id the duty falls to, or null when the source names nobody. */
  owner: string | null;
  due: string;
  overdue: boolean;
  /** A recurring activity computed from a schedule, with no record yet. */
  scheduled: boolean;
  key: string;
  /** The web UI path of the source. */
  link: string;
}

/** A page of tasks in due order; `total` counts every task the filters match. */
export interface TaskList {
  items: Task[];
  next_cursor: string | null;
  total: number;
}

export interface TaskQuery {
  assignee?: 'me' | string;
  overdue?: boolean;
  due_before?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string | null;
}

export interface CalendarAnswer {
  from: string;
  to: string;
  items: Task[];
}

export const KIND_LABELS: Record<TaskKind, string> = {
  treatment_action: 'Treatment action',
  corrective_action: 'Corrective action',
  review_action: 'Management review action',
  document_review: 'Document review',
  risk_review: 'Risk review',
  risk_reassessment: 'Risk assessment',
  audit: 'Internal audit',
  management_review: 'Management review',
  evidence_expiry: 'Evidence expiring',
  training: 'Training',
  measurement: 'Measurement',
};

export const tasks = {
  async list(org: string, query: TaskQuery = {}): Promise<TaskList> {
    return (
      await request<TaskList>('GET', `/orgs/${seg(org)}/tasks`, {
        query: {
          ...query,
          overdue: query.overdue ? 'true' : undefined,
          limit: query.limit === undefined ? undefined : String(query.limit),
          cursor: query.cursor ?? undefined,
        },
      })
    ).data;
  },
  async calendar(org: string, from: string, to: string): Promise<CalendarAnswer> {
    return (await request<CalendarAnswer>('GET', `/orgs/${seg(org)}/calendar`, { query: { from, to } })).data;
  },
};
