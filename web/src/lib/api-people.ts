// Competence and awareness (ISO/IEC 27001 7.2, 7.3): the people register, competence
// requirements, evidence of competence with the gap analysis, trainings with their
// completions, and the awareness figures per department. Types and clients of the module,
// beside the shared ones in api.ts.

import { listPage, orgCollection, request, seg, withVersion } from './api';
import type { Page } from './types';

export type PersonStatus = 'active' | 'left';
export type EvidenceKind = 'training' | 'certification' | 'experience' | 'education';
export type GapState = 'met' | 'expired' | 'missing';
export type TrainingStatus = 'draft' | 'open' | 'closed';
export type AudienceKind = 'all' | 'departments' | 'people';

export const EVIDENCE_KINDS: { value: EvidenceKind; label: string }[] = [
  { value: 'training', label: 'Training' },
  { value: 'certification', label: 'Certification' },
  { value: 'experience', label: 'Experience' },
  { value: 'education', label: 'Education' },
];
export const TRAINING_STATUSES: { value: TrainingStatus; label: string }[] = [
  { value: 'draft', label: 'Draft' },
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
];
export const AUDIENCE_KINDS: { value: AudienceKind; label: string }[] = [
  { value: 'all', label: 'Everyone in scope' },
  { value: 'departments', label: 'Departments' },
  { value: 'people', label: 'Named people' },
];
export const GAP_LABELS: Record<GapState, string> = { met: 'Met', expired: 'Expired', missing: 'Missing' };

export function optionLabel<T extends string>(options: { value: T; label: string }[], value: string | null | undefined): string {
  return options.find((o) => o.value === value)?.label ?? value ?? '—';
}

/** A share 0…1 as a whole percentage, or an em dash when unknown. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 100)} %`;
}

export interface Person {
  id: string;
  ref: string;
  name: string;
  email: string;
  job_role: string;
  department: string;
  in_scope: boolean;
  user_id: string | null;
  status: PersonStatus;
  start_date: string | null;
  left_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PersonInput {
  name: string;
  email: string;
  job_role: string;
  department: string;
  in_scope: boolean;
  user_id: string | null;
  status: PersonStatus;
  start_date: string | null;
  left_on?: string | null;
}

export type PersonSort = 'name' | '-name' | 'ref' | 'department' | 'job_role' | '-created_at';

export interface PersonQuery {
  limit?: number;
  cursor?: string | null;
  sort?: PersonSort;
  q?: string;
  department?: string;
  in_scope?: 'true' | 'false' | '';
  status?: PersonStatus | '';
}

export interface RequiredCompetence {
  competence_id: string;
  ref: string;
  name: string;
  /** `job_role` and/or refs of ISMS roles (ROLE-0001). */
  required_by: string[];
  state: GapState;
  valid_until: string | null;
}

export interface PersonDetail extends Person {
  isms_role_ids: string[];
  competences: RequiredCompetence[];
  competences_met: number;
  competences_required: number;
}

export interface Competence {
  id: string;
  ref: string;
  name: string;
  description: string;
  job_roles: string[];
  isms_role_ids: string[];
  evidence_kinds: EvidenceKind[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CompetenceInput {
  name: string;
  description: string;
  job_roles: string[];
  isms_role_ids: string[];
  evidence_kinds: EvidenceKind[];
}

export interface CompetenceQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
}

export interface CompetenceEvidence {
  id: string;
  person_id: string;
  competence_id: string;
  kind: EvidenceKind;
  title: string;
  obtained_on: string;
  expires_on: string | null;
  evidence_id: string | null;
  training_id: string | null;
  recorded_by: string;
  version: number;
  created_at: string;
}

export interface CompetenceEvidenceInput {
  competence_id: string;
  kind: EvidenceKind;
  title: string;
  obtained_on: string;
  expires_on: string | null;
  evidence_id?: string | null;
}

export interface PersonGaps {
  person_id: string;
  ref: string;
  name: string;
  job_role: string;
  department: string;
  gaps: RequiredCompetence[];
}

export interface Training {
  id: string;
  ref: string;
  title: string;
  description: string;
  audience: AudienceKind;
  departments: string[];
  person_ids: string[];
  due_on: string;
  status: TrainingStatus;
  competence_id: string | null;
  validity_months: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  audience_size: number;
  completed: number;
  overdue: number;
  completion_rate: number | null;
}

export interface TrainingInput {
  title: string;
  description: string;
  audience: AudienceKind;
  departments: string[];
  person_ids: string[];
  due_on: string;
  status: TrainingStatus;
  competence_id: string | null;
  validity_months: number | null;
}

export interface TrainingQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  status?: TrainingStatus | '';
}

export interface Completion {
  training_id: string;
  person_id: string;
  completed_on: string;
  note: string;
  recorded_by: string;
  created_at: string;
}

export interface AudienceMember {
  person_id: string;
  ref: string;
  name: string;
  department: string;
  completion: Completion | null;
  overdue: boolean;
}

export interface TrainingDetail extends Training {
  members: AudienceMember[];
  other_completions: Completion[];
}

export interface OverduePerson {
  id: string;
  ref: string;
  name: string;
  trainings: { id: string; ref: string; title: string; due_on: string }[];
}

export interface DepartmentAwareness {
  department: string;
  people: number;
  assigned: number;
  completed: number;
  overdue: number;
  training_completion_rate: number | null;
  policy_readers: number | null;
  policy_acknowledged: number | null;
  policy_acknowledgment_rate: number | null;
  overdue_people: OverduePerson[];
}

export interface Awareness {
  as_of: string;
  policy_acknowledgments_known: boolean;
  departments: DepartmentAwareness[];
  total: DepartmentAwareness;
}

const base = (org: string) => `/orgs/${seg(org)}`;

const peopleCollection = orgCollection<Person, PersonInput, PersonQuery>('people');

export const people = {
  ...peopleCollection,
  async detail(org: string, id: string): Promise<PersonDetail> {
    return withVersion(await request<PersonDetail>('GET', `${base(org)}/people/${seg(id)}`));
  },
  evidence(org: string, id: string): Promise<Page<CompetenceEvidence>> {
    return listPage(`${base(org)}/people/${seg(id)}/competence-evidence`, {});
  },
  async addEvidence(org: string, id: string, input: CompetenceEvidenceInput): Promise<CompetenceEvidence> {
    return withVersion(
      await request<CompetenceEvidence>('POST', `${base(org)}/people/${seg(id)}/competence-evidence`, { body: input }),
    );
  },
  async removeEvidence(org: string, id: string, evidence: CompetenceEvidence): Promise<void> {
    await request<void>('DELETE', `${base(org)}/people/${seg(id)}/competence-evidence/${seg(evidence.id)}`, {
      ifMatch: evidence.version,
    });
  },
  /** Every person of the organization (for pickers), page by page. */
  async all(org: string): Promise<Person[]> {
    const out: Person[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Person> = await peopleCollection.list(org, { limit: 500, cursor });
      out.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  },
};

export const competences = {
  ...orgCollection<Competence, CompetenceInput, CompetenceQuery>('competences'),
  gaps(org: string, department?: string): Promise<Page<PersonGaps>> {
    return listPage(`${base(org)}/competence-gaps`, { department });
  },
};

const trainingCollection = orgCollection<Training, TrainingInput, TrainingQuery>('trainings');

export const trainings = {
  ...trainingCollection,
  async detail(org: string, id: string): Promise<TrainingDetail> {
    return withVersion(await request<TrainingDetail>('GET', `${base(org)}/trainings/${seg(id)}`));
  },
  async complete(org: string, id: string, input: { person_id: string; completed_on: string; note: string }): Promise<Completion> {
    return (await request<Completion>('POST', `${base(org)}/trainings/${seg(id)}/completions`, { body: input })).data;
  },
};

export const awareness = {
  async get(org: string): Promise<Awareness> {
    return (await request<Awareness>('GET', `${base(org)}/awareness`)).data;
  },
};
