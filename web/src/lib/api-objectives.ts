// The client of information security objectives (ISO/IEC 27001 clause 6.2) and the metrics
// that monitor and measure them (9.1). Measurements are appended, never edited: a correction
// is a new measurement that names the one it corrects.

import { listPage, orgCollection, request, seg, withVersion } from './api';
import type { Page } from './types';

export type Direction = 'higher_is_better' | 'lower_is_better';
export type Frequency = 'weekly' | 'monthly' | 'quarterly' | 'yearly';
export type MetricStatus = 'active' | 'retired';
export type ObjectiveState = 'active' | 'cancelled';
export type ObjectiveStatus = 'on_track' | 'at_risk' | 'achieved' | 'missed' | 'no_data';

/** A metric (9.1): what is measured, how, how often, by whom, and what good looks like. */
export interface Metric {
  id: string;
  ref: string;
  name: string;
  description: string;
  unit: string;
  direction: Direction;
  target: number;
  warning: number | null;
  frequency: Frequency;
  owner_id: string;
  method: string;
  source: string;
  status: MetricStatus;
  version: number;
  created_at: string;
  updated_at: string;
  measurement_count: number;
  latest: { value: number; measured_on: string } | null;
  /** The next measurement's date; null once retired. */
  due_on: string | null;
  overdue: boolean;
}

export interface MetricInput {
  name: string;
  description: string;
  unit: string;
  direction: Direction;
  target: number;
  warning: number | null;
  frequency: Frequency;
  owner_id: string;
  method: string;
  source: string;
  status: MetricStatus;
}

export type MetricSort = 'ref' | '-ref' | 'name' | '-name' | 'frequency' | '-updated_at' | 'created_at' | '-created_at';

export interface MetricQuery {
  limit?: number;
  cursor?: string | null;
  sort?: MetricSort;
  q?: string;
  status?: MetricStatus | '';
  frequency?: Frequency | '';
  owner_id?: string;
}

/** One result; never changed. `superseded_by` names the correction that replaced it. */
export interface Measurement {
  id: string;
  metric_id: string;
  value: number;
  measured_on: string;
  note: string;
  corrects_id: string | null;
  superseded_by: string | null;
  superseded: boolean;
  recorded_by: string;
  recorded_by_email: string;
  version: number;
  created_at: string;
}

export interface MeasurementInput {
  value: number;
  measured_on: string;
  note?: string;
  corrects_id?: string | null;
}

/** ISO 27001 6.2 f–j: what, resources, who, when, how the results are evaluated. */
export interface ObjectivePlan {
  what: string;
  resources: string;
  responsible: string;
  responsible_id: string | null;
  when: string;
  evaluation: string;
}

export interface Objective {
  id: string;
  ref: string;
  title: string;
  description: string;
  owner_id: string;
  metric_id: string | null;
  target: number | null;
  due_on: string;
  plan: ObjectivePlan;
  state: ObjectiveState;
  version: number;
  created_at: string;
  updated_at: string;
  /** Computed from the metric's measurements. */
  status: ObjectiveStatus;
  status_reason: string;
  metric: { ref: string; name: string; unit: string; direction: Direction; status: MetricStatus } | null;
}

export interface ObjectiveInput {
  title: string;
  description: string;
  owner_id: string;
  metric_id: string | null;
  target: number | null;
  due_on: string;
  plan: Partial<ObjectivePlan>;
  state: ObjectiveState;
}

export type ObjectiveSort = 'due_on' | '-due_on' | 'title' | '-title' | 'ref' | '-ref' | '-updated_at';

export interface ObjectiveQuery {
  limit?: number;
  cursor?: string | null;
  sort?: ObjectiveSort;
  q?: string;
  state?: ObjectiveState | '';
  owner_id?: string;
  metric_id?: string;
}

export const DIRECTION_LABELS: Record<Direction, string> = {
  higher_is_better: 'Higher is better',
  lower_is_better: 'Lower is better',
};

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  yearly: 'Yearly',
};

export const STATUS_LABELS: Record<ObjectiveStatus, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  achieved: 'Achieved',
  missed: 'Missed',
  no_data: 'No data',
};

export function statusTone(status: ObjectiveStatus): 'ok' | 'warn' | 'danger' | 'info' | 'neutral' {
  switch (status) {
    case 'achieved':
      return 'ok';
    case 'on_track':
      return 'info';
    case 'at_risk':
      return 'warn';
    case 'missed':
      return 'danger';
    default:
      return 'neutral';
  }
}

/** A value with its unit, as people read it: `95%`, `3 incidents`. */
export function withUnit(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  const text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (!unit) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

const metricsCollection = orgCollection<Metric, MetricInput, MetricQuery>('metrics');

export const metrics = {
  ...metricsCollection,
  measurements(org: string, metricId: string, cursor?: string | null, limit = 500): Promise<Page<Measurement>> {
    return listPage(`/orgs/${seg(org)}/metrics/${seg(metricId)}/measurements`, { cursor, limit });
  },
  /** Every measurement of a metric, oldest first (for a chart and its table). */
  async allMeasurements(org: string, metricId: string): Promise<Measurement[]> {
    const out: Measurement[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Measurement> = await this.measurements(org, metricId, cursor);
      out.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  },
  async record(org: string, metricId: string, input: MeasurementInput): Promise<Measurement> {
    return withVersion(
      await request<Measurement>('POST', `/orgs/${seg(org)}/metrics/${seg(metricId)}/measurements`, { body: input }),
    );
  },
};

// Objectives are retained documented information (6.2): cancelled, never deleted.
const { remove: _remove, ...objectivesClient } = orgCollection<Objective, ObjectiveInput, ObjectiveQuery>('objectives');
export const objectives = objectivesClient;
