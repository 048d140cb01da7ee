// How the SoA's values read to people: applicability, implementation status, inclusion
// reasons, and the fields a diff or history names.

import type { Applicability, Control, CoverageStatus, ImplementationStatus } from '../lib/types';

export const STATUS_LABELS: Record<ImplementationStatus, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  partially_implemented: 'Partially implemented',
  implemented: 'Implemented',
};

export const REASON_LABELS: Record<string, string> = {
  legal_regulatory: 'Legal or regulatory requirement',
  contractual: 'Contractual obligation',
  business: 'Business requirement',
  best_practice: 'Best practice',
  risk_treatment: 'Risk treatment',
};

export const APPLICABILITY_OPTIONS: { value: Applicability; label: string }[] = [
  { value: 'true', label: 'Applicable' },
  { value: 'false', label: 'Not applicable' },
  { value: 'undecided', label: 'Undecided' },
];

export const COVERAGE_LABELS: Record<CoverageStatus, string> = {
  covered: 'Covered',
  partial: 'Partially covered',
  not_covered: 'Not covered',
};

export const FIELD_LABELS: Record<string, string> = {
  applicable: 'Applicable',
  justification: 'Justification',
  inclusion_reasons: 'Reasons for inclusion',
  implementation_status: 'Implementation status',
  owner_id: 'Owner',
  owner_email: 'Owner',
  implementation: 'Implementation',
  last_reviewed_on: 'Last reviewed on',
  title: 'Title',
  ref_id: 'Ref',
  theme: 'Theme',
  risk_ids: 'Linked risks',
  evidence_ids: 'Evidence',
  custom: 'Custom control',
};

export function statusLabel(status: string | null | undefined): string {
  if (!status) return '—';
  return STATUS_LABELS[status as ImplementationStatus] ?? status;
}

export function reasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? reason.replace(/_/g, ' ');
}

export function applicabilityLabel(value: boolean | null | undefined): string {
  if (value === true) return 'Applicable';
  if (value === false) return 'Not applicable';
  return 'Undecided';
}

/** Any value of a control's field as text (for diffs, history and read-only views). */
export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return field === 'applicable' ? 'Undecided' : '—';
  }
  if (field === 'applicable' && typeof value === 'boolean') return applicabilityLabel(value);
  if (field === 'implementation_status' && typeof value === 'string') return statusLabel(value);
  if (field === 'inclusion_reasons' && Array.isArray(value)) {
    return value.length ? value.map((r) => reasonLabel(String(r))).join(', ') : '—';
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Who may change a control: managers and admins, and a contributor who owns it. */
export function canEditControl(role: string | undefined, control: Control | null, userId: string): boolean {
  if (role === 'admin' || role === 'manager') return true;
  return role === 'contributor' && control !== null && control.owner_id === userId;
}

export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';

export function applicabilityTone(value: boolean | null): Tone {
  return value === true ? 'info' : value === false ? 'neutral' : 'warn';
}

export function statusTone(status: string): Tone {
  return status === 'implemented' ? 'ok' : status === 'partially_implemented' ? 'info' : status === 'planned' ? 'warn' : 'neutral';
}

export function coverageTone(status: CoverageStatus): Tone {
  return status === 'covered' ? 'ok' : status === 'partial' ? 'warn' : 'danger';
}
