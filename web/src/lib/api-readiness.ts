// The readiness evaluation (ISO/IEC 27001 clauses 4–10, issue 7): GET …/readiness and its
// thresholds. Types and clients of this module only; see api.ts for `request`.
import { request, seg, withVersion } from './api';
import { paths } from './router';

export type ReadinessStatus = 'pass' | 'warn' | 'fail' | 'not_evaluable';
export type Verdict = 'not_ready' | 'ready_for_stage_1' | 'ready_for_stage_2';

export interface ReadinessLink {
  type: string;
  id: string;
  ref: string;
}

export interface ReadinessCheck {
  id: string;
  status: ReadinessStatus;
  message: string;
  remedy: string;
  links: ReadinessLink[];
}

export interface ReadinessRequirement {
  ref: string;
  title: string;
  status: ReadinessStatus;
  checks: ReadinessCheck[];
}

export interface ReadinessClause {
  ref: string;
  title: string;
  status: ReadinessStatus;
  requirements: ReadinessRequirement[];
}

export interface Readiness {
  verdict: Verdict;
  score: number;
  as_of: string;
  clauses: ReadinessClause[];
}

export interface ReadinessSettings {
  policy_ack_percent: number;
  awareness_percent: number;
  overdue_tolerance_days: number;
  recent_months: number;
  version: number;
  updated_at: string | null;
}

/** One day of readiness over time. */
export interface ReadinessTrendPoint {
  date: string;
  verdict: Verdict;
  score: number;
}

export type ReadinessSettingsInput = Omit<ReadinessSettings, 'version' | 'updated_at'>;

export const readiness = {
  async get(org: string, asOf?: string): Promise<Readiness> {
    return (await request<Readiness>('GET', `/orgs/${seg(org)}/readiness`, { query: { as_of: asOf || undefined } })).data;
  },
  /** Every day from `from` to `to` (the server's defaults: the 30 days ending today). */
  async trend(org: string, from?: string, to?: string): Promise<ReadinessTrendPoint[]> {
    const query = { from: from || undefined, to: to || undefined };
    return (await request<{ items: ReadinessTrendPoint[] }>('GET', `/orgs/${seg(org)}/readiness/trend`, { query })).data.items;
  },
  async settings(org: string): Promise<ReadinessSettings> {
    return withVersion(await request<ReadinessSettings>('GET', `/orgs/${seg(org)}/readiness/settings`));
  },
  async saveSettings(org: string, input: ReadinessSettingsInput, version: number): Promise<ReadinessSettings> {
    return withVersion(
      await request<ReadinessSettings>('PUT', `/orgs/${seg(org)}/readiness/settings`, { body: input, ifMatch: version }),
    );
  },
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  not_ready: 'Not ready',
  ready_for_stage_1: 'Ready for stage 1',
  ready_for_stage_2: 'Ready for stage 2',
};

export const STATUS_LABELS: Record<ReadinessStatus, string> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  not_evaluable: 'Not evaluable',
};

/** The page of a linked record, where the router has one. */
export function linkPath(org: string, link: ReadinessLink): string | null {
  switch (link.type) {
    case 'context_issue':
      return paths.contextIssue(org, link.id);
    case 'interested_party':
      return paths.interestedParties(org);
    case 'document':
      return paths.document(org, link.id);
    case 'isms_role':
      return paths.roles(org);
    case 'risk':
      return paths.risk(org, link.id);
    case 'treatment':
      return paths.treatmentPlan(org);
    case 'risk_methodology':
      return paths.riskMethodology(org);
    case 'risk_assessment':
      return paths.riskAssessments(org);
    case 'control':
      return paths.control(org, link.id);
    case 'objective':
      return paths.objective(org, link.id);
    case 'metric':
      return paths.metric(org, link.id);
    case 'isms_change':
      return paths.change(org, link.id);
    case 'person':
      return paths.person(org, link.id);
    case 'incident':
      return paths.incident(org, link.id);
    case 'audit':
      return paths.audit(org, link.id);
    case 'audit_programme':
      return paths.auditProgramme(org, link.id);
    case 'management_review':
      return paths.managementReview(org, link.id);
    case 'nonconformity':
      return paths.nonconformity(org, link.id);
    case 'corrective_action':
    case 'improvement':
      return paths.improvements(org);
    default:
      return null;
  }
}
