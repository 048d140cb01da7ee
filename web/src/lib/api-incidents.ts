// Information security incidents (ISO/IEC 27001 clause 8.1, Annex A 5.24–5.28): reported,
// triaged, contained, resolved and closed with their lessons learned, an append-only
// timeline, and links to assets, risks and nonconformities. Types and clients of the module,
// beside the shared ones in api.ts.

import { orgCollection, request, seg, withVersion } from './api';

export type IncidentStatus = 'new' | 'triaged' | 'contained' | 'resolved' | 'closed';
export type IncidentSeverity = 'low' | 'medium' | 'high' | 'critical';
export type IncidentCategory =
  | 'malware'
  | 'phishing'
  | 'unauthorized_access'
  | 'data_leak'
  | 'denial_of_service'
  | 'loss_or_theft'
  | 'misconfiguration'
  | 'other';
export type IncidentStep = 'triage' | 'contain' | 'resolve' | 'close' | 'reopen';

export const INCIDENT_STATUSES: { value: IncidentStatus; label: string }[] = [
  { value: 'new', label: 'New' },
  { value: 'triaged', label: 'Triaged' },
  { value: 'contained', label: 'Contained' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'closed', label: 'Closed' },
];
export const INCIDENT_SEVERITIES: { value: IncidentSeverity; label: string }[] = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'critical', label: 'Critical' },
];
export const INCIDENT_CATEGORIES: { value: IncidentCategory; label: string }[] = [
  { value: 'malware', label: 'Malware' },
  { value: 'phishing', label: 'Phishing' },
  { value: 'unauthorized_access', label: 'Unauthorized access' },
  { value: 'data_leak', label: 'Data leak' },
  { value: 'denial_of_service', label: 'Denial of service' },
  { value: 'loss_or_theft', label: 'Loss or theft' },
  { value: 'misconfiguration', label: 'Misconfiguration' },
  { value: 'other', label: 'Other' },
];

export function incidentLabel<T extends string>(options: { value: T; label: string }[], value: string | null | undefined): string {
  return options.find((o) => o.value === value)?.label ?? value ?? '—';
}

/** A linked asset, risk or nonconformity, with the reference and title it had when linked. */
export interface IncidentLinkRef {
  id: string;
  ref: string;
  title: string;
}

export interface Incident {
  id: string;
  ref: string;
  title: string;
  description: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  detected_at: string;
  reported_at: string;
  reported_by: string;
  reported_by_email: string;
  owner_id: string;
  status: IncidentStatus;
  resolution: string;
  lessons_learned: string;
  personal_data_involved: boolean;
  notification_notes: string;
  triaged_at: string | null;
  contained_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
  reopen_count: number;
  hours_to_contain: number | null;
  hours_to_resolve: number | null;
  asset_ids: string[];
  risk_ids: string[];
  nonconformity_ids: string[];
  assets: IncidentLinkRef[];
  risks: IncidentLinkRef[];
  nonconformities: IncidentLinkRef[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface IncidentInput {
  title: string;
  description: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  detected_at: string;
  reported_at: string;
  owner_id: string;
  resolution: string;
  lessons_learned: string;
  personal_data_involved: boolean;
  notification_notes: string;
  asset_ids: string[];
  risk_ids: string[];
  nonconformity_ids: string[];
}

export interface IncidentQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  q?: string;
  /** One status or several, comma-separated. */
  status?: string;
  severity?: string;
  category?: string;
  open?: string;
  owner_id?: string;
  asset_id?: string;
  risk_id?: string;
}

export interface TimelineEntry {
  id: string;
  incident_id: string;
  at: string;
  kind: 'note' | 'status';
  status: IncidentStatus | null;
  entry: string;
  recorded_by: string;
  recorded_by_email: string;
  recorded_at: string;
}

export interface IncidentSummary {
  from: string;
  to: string;
  total: number;
  open: number;
  by_status: Record<IncidentStatus, number>;
  by_severity: Record<IncidentSeverity, number>;
  by_category: Record<IncidentCategory, number>;
  personal_data_involved: number;
  mean_hours_to_contain: number | null;
  mean_hours_to_resolve: number | null;
}

export interface RaiseNonconformityInput {
  title: string;
  description?: string;
  requirement_ref?: string;
  severity?: 'major' | 'minor';
  owner_id?: string;
}

const collection = orgCollection<Incident, IncidentInput, IncidentQuery>('incidents');
const one = (org: string, id: string) => `/orgs/${seg(org)}/incidents/${seg(id)}`;

export const incidents = {
  ...collection,
  /** One step of the handling; `version` makes it fail with 412 if someone changed it since. */
  async step(org: string, id: string, step: IncidentStep, version: number, input: { note?: string; at?: string } = {}): Promise<Incident> {
    return withVersion(await request<Incident>('POST', `${one(org, id)}/${step}`, { body: input, ifMatch: version }));
  },
  async timeline(org: string, id: string): Promise<TimelineEntry[]> {
    const { data } = await request<{ items: TimelineEntry[] }>('GET', `${one(org, id)}/timeline`);
    return data.items ?? [];
  },
  async addEntry(org: string, id: string, input: { entry: string; at?: string }): Promise<TimelineEntry> {
    const { data } = await request<TimelineEntry>('POST', `${one(org, id)}/timeline`, { body: input });
    return data;
  },
  /** Raises a nonconformity (10.2) from the incident and links it; answers the incident. */
  async raiseNonconformity(org: string, id: string, version: number, input: RaiseNonconformityInput): Promise<Incident> {
    return withVersion(await request<Incident>('POST', `${one(org, id)}/nonconformity`, { body: input, ifMatch: version }));
  },
  async summary(org: string, from?: string, to?: string): Promise<IncidentSummary> {
    const { data } = await request<IncidentSummary>('GET', `/orgs/${seg(org)}/incidents/summary`, { query: { from, to } });
    return data;
  },
};

/** The steps `role` (with user `me`) may take on `incident` now, in order of the handling. */
export function allowedIncidentSteps(incident: Incident, role: string | undefined, me: string): IncidentStep[] {
  const manager = role === 'admin' || role === 'manager';
  const involved = manager || (role === 'contributor' && (incident.reported_by === me || incident.owner_id === me));
  if (!involved) return [];
  switch (incident.status) {
    case 'new':
      return ['triage'];
    case 'triaged':
      return ['contain'];
    case 'contained':
      return ['resolve'];
    case 'resolved':
      return manager ? ['close', 'reopen'] : ['close'];
    case 'closed':
      return manager ? ['reopen'] : [];
  }
  return [];
}

export type IncidentTone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';

export function incidentStatusTone(status: IncidentStatus): IncidentTone {
  switch (status) {
    case 'new':
      return 'danger';
    case 'triaged':
      return 'warn';
    case 'contained':
      return 'info';
    case 'resolved':
    case 'closed':
      return 'ok';
  }
  return 'neutral';
}

export function severityTone(severity: IncidentSeverity): IncidentTone {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'danger';
    case 'medium':
      return 'warn';
    default:
      return 'neutral';
  }
}

/** `2026-03-01T08:00:00Z` for a `datetime-local` input value (local time), and back. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
