// A small history-API router. The server answers every non-/api path without a file
// extension with index.html, so real paths such as /orgs/<id>/context-issues work on reload.

import { readable } from 'svelte/store';

export interface Location {
  path: string;
  search: string;
}

function current(): Location {
  return { path: window.location.pathname || '/', search: window.location.search };
}

let set: ((value: Location) => void) | null = null;
// True once the person moved inside the app (not on the first page load).
let moved = false;

/** The current location; updates on navigate() and on the browser's back and forward. */
export const location = readable<Location>(current(), (setter) => {
  set = setter;
  setter(current());
  const onPop = () => {
    moved = true;
    setter(current());
  };
  window.addEventListener('popstate', onPop);
  return () => {
    window.removeEventListener('popstate', onPop);
    set = null;
  };
});

/** Goes to `to` (a path, possibly with a query) in this app, without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  const target = url.pathname + url.search + url.hash;
  if (target === window.location.pathname + window.location.search + window.location.hash && !options.replace) return;
  moved = true;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  set?.(current());
}

/**
 * Matches a path against a pattern such as `/orgs/:org/context-issues/:id` and returns the
 * decoded parameters, or null. A trailing slash on the path is ignored.
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try {
        params[p[i].slice(1)] = decodeURIComponent(s[i]);
      } catch {
        return null;
      }
    } else if (p[i] !== s[i]) {
      return null;
    }
  }
  return params;
}

/**
 * Svelte action for <a href="/…">: a plain click navigates inside the app; a click with a
 * modifier key, a middle click, or a link to another origin keeps the browser's behaviour.
 */
export function link(node: HTMLAnchorElement): { destroy(): void } {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (node.target && node.target !== '_self') return;
    const url = new URL(node.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}

/** Path helpers, so that no page spells out another page's URL. */
export const paths = {
  home: () => '/',
  org: (org: string) => `/orgs/${encodeURIComponent(org)}`,
  contextIssues: (org: string) => `/orgs/${encodeURIComponent(org)}/context-issues`,
  contextIssue: (org: string, id: string) =>
    `/orgs/${encodeURIComponent(org)}/context-issues/${encodeURIComponent(id)}`,
  members: (org: string) => `/orgs/${encodeURIComponent(org)}/members`,
  interestedParties: (org: string) => `/orgs/${encodeURIComponent(org)}/interested-parties`,
  leadershipRecords: (org: string) => `/orgs/${encodeURIComponent(org)}/leadership-records`,
  roles: (org: string) => `/orgs/${encodeURIComponent(org)}/roles`,
  raci: (org: string) => `/orgs/${encodeURIComponent(org)}/raci`,
  assets: (org: string) => `/orgs/${encodeURIComponent(org)}/assets`,
  /** The documents register; with `type`, only documents of that type (scope, policy, …). */
  documents: (org: string, type?: string) =>
    `/orgs/${encodeURIComponent(org)}/documents${type ? `?type=${encodeURIComponent(type)}` : ''}`,
  document: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/documents/${encodeURIComponent(id)}`,
  myDocuments: (org: string) => `/orgs/${encodeURIComponent(org)}/my-documents`,
  evidence: (org: string) => `/orgs/${encodeURIComponent(org)}/evidence`,
  evidenceItem: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/evidence/${encodeURIComponent(id)}`,
  risks: (org: string) => `/orgs/${encodeURIComponent(org)}/risks`,
  /** The risk register with the risk's dialog open. */
  risk: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/risks?risk=${encodeURIComponent(id)}`,
  riskHeatmap: (org: string) => `/orgs/${encodeURIComponent(org)}/risk-heatmaps`,
  riskMethodology: (org: string) => `/orgs/${encodeURIComponent(org)}/risk-methodology`,
  treatmentPlan: (org: string) => `/orgs/${encodeURIComponent(org)}/treatment-plan`,
  riskAssessments: (org: string) => `/orgs/${encodeURIComponent(org)}/risk-assessments`,
  soa: (org: string) => `/orgs/${encodeURIComponent(org)}/soa`,
  soaVersions: (org: string) => `/orgs/${encodeURIComponent(org)}/soa/versions`,
  control: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/controls/${encodeURIComponent(id)}`,
  coverage: (org: string) => `/orgs/${encodeURIComponent(org)}/coverage`,
  nonconformities: (org: string) => `/orgs/${encodeURIComponent(org)}/nonconformities`,
  nonconformity: (org: string, id: string) =>
    `/orgs/${encodeURIComponent(org)}/nonconformities/${encodeURIComponent(id)}`,
  improvements: (org: string) => `/orgs/${encodeURIComponent(org)}/improvements`,
  managementReviews: (org: string) => `/orgs/${encodeURIComponent(org)}/management-reviews`,
  managementReview: (org: string, id: string) =>
    `/orgs/${encodeURIComponent(org)}/management-reviews/${encodeURIComponent(id)}`,
  audits: (org: string) => `/orgs/${encodeURIComponent(org)}/audits`,
  audit: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/audits/${encodeURIComponent(id)}`,
  auditProgramme: (org: string, id: string) =>
    `/orgs/${encodeURIComponent(org)}/audit-programmes/${encodeURIComponent(id)}`,
  people: (org: string) => `/orgs/${encodeURIComponent(org)}/people`,
  person: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/people/${encodeURIComponent(id)}`,
  competences: (org: string) => `/orgs/${encodeURIComponent(org)}/competences`,
  trainings: (org: string) => `/orgs/${encodeURIComponent(org)}/trainings`,
  training: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/trainings/${encodeURIComponent(id)}`,
  awareness: (org: string) => `/orgs/${encodeURIComponent(org)}/awareness`,
  dashboard: (org: string) => `/orgs/${encodeURIComponent(org)}/dashboard`,
  readiness: (org: string) => `/orgs/${encodeURIComponent(org)}/readiness`,
  tasks: (org: string) => `/orgs/${encodeURIComponent(org)}/tasks`,
  calendar: (org: string) => `/orgs/${encodeURIComponent(org)}/calendar`,
  communication: (org: string) => `/orgs/${encodeURIComponent(org)}/communication`,
  changes: (org: string) => `/orgs/${encodeURIComponent(org)}/changes`,
  incidents: (org: string) => `/orgs/${encodeURIComponent(org)}/incidents`,
  incident: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/incidents/${encodeURIComponent(id)}`,
  change: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/changes/${encodeURIComponent(id)}`,
  objectives: (org: string) => `/orgs/${encodeURIComponent(org)}/objectives`,
  objective: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/objectives/${encodeURIComponent(id)}`,
  metrics: (org: string) => `/orgs/${encodeURIComponent(org)}/metrics`,
  metric: (org: string, id: string) => `/orgs/${encodeURIComponent(org)}/metrics/${encodeURIComponent(id)}`,
  notifications: (org: string) => `/orgs/${encodeURIComponent(org)}/notifications`,
  webhooks: (org: string) => `/orgs/${encodeURIComponent(org)}/webhooks`,
  frameworks: () => '/frameworks',
  framework: (id: string) => `/frameworks/${encodeURIComponent(id)}`,
  /** The signed-in person's own second factor (not organization-scoped). */
  accountSecurity: (_org?: string) => '/account/security',
};

/**
 * Moves focus to a page's heading after an in-app navigation, so that screen reader and
 * keyboard users start at the new page; leaves focus alone on the first page load.
 */
export function focusHeading(heading: HTMLElement | undefined | null): void {
  if (moved && heading && !document.querySelector('dialog[open]')) heading.focus();
}
