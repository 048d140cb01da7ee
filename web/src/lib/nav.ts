// The navigation, grouped by the clauses of ISO/IEC 27001:2022. Entries without `path` are
// modules that do not exist yet: shown as "coming soon", never as links.

import { paths } from './router';
import type { Role } from './types';

export interface NavItem {
  label: string;
  clause?: string;
  path?: (org: string) => string;
  /** Only these roles see the entry. */
  roles?: Role[];
}

export interface NavGroup {
  clause: string;
  title: string;
  items: NavItem[];
}

export const NAV: NavGroup[] = [
  {
    clause: '',
    title: 'Overview',
    items: [
      { label: 'Dashboard', path: paths.dashboard },
      { label: 'My tasks', path: paths.tasks },
      { label: 'Calendar', path: paths.calendar },
      { label: 'Readiness for certification', clause: '4–10', path: paths.readiness },
      { label: 'Notifications', path: paths.notifications },
      { label: 'Webhooks', path: paths.webhooks, roles: ['admin'] },
      { label: 'Account security', path: paths.accountSecurity },
    ],
  },
  {
    clause: '4',
    title: 'Context',
    items: [
      { label: 'Context issues', clause: '4.1', path: paths.contextIssues },
      { label: 'Interested parties', clause: '4.2', path: paths.interestedParties },
      { label: 'ISMS scope', clause: '4.3', path: (org) => paths.documents(org, 'scope') },
    ],
  },
  {
    clause: '5',
    title: 'Leadership',
    items: [
      { label: 'Leadership records', clause: '5.1', path: paths.leadershipRecords },
      { label: 'Information security policy', clause: '5.2', path: (org) => paths.documents(org, 'policy') },
      { label: 'Roles and responsibilities', clause: '5.3', path: paths.roles },
      { label: 'RACI matrix', clause: '5.3', path: paths.raci },
    ],
  },
  {
    clause: '6',
    title: 'Planning',
    items: [
      { label: 'Risk methodology', clause: '6.1.2', path: paths.riskMethodology },
      { label: 'Assets', clause: '6.1.2', path: paths.assets },
      { label: 'Risk register', clause: '6.1.2', path: paths.risks },
      { label: 'Risk heat maps', clause: '6.1.2', path: paths.riskHeatmap },
      { label: 'Statement of Applicability', clause: '6.1.3', path: paths.soa },
      { label: 'Framework coverage', clause: '6.1.3', path: paths.coverage },
      { label: 'Objectives', clause: '6.2', path: paths.objectives },
      { label: 'Planning of changes', clause: '6.3', path: paths.changes },
    ],
  },
  {
    clause: '7',
    title: 'Support',
    items: [
      { label: 'Competence and awareness', clause: '7.2', path: paths.awareness },
      { label: 'People', clause: '7.2', path: paths.people },
      { label: 'Competences', clause: '7.2', path: paths.competences },
      { label: 'Trainings', clause: '7.3', path: paths.trainings },
      { label: 'Communication', clause: '7.4', path: paths.communication },
      { label: 'Documented information', clause: '7.5', path: (org) => paths.documents(org) },
      { label: 'Documents I must read', clause: '7.3', path: paths.myDocuments },
      { label: 'Evidence', clause: '7.5', path: paths.evidence },
    ],
  },
  {
    clause: '8',
    title: 'Operation',
    items: [
      { label: 'Risk assessments', clause: '8.2', path: paths.riskAssessments },
      { label: 'Risk treatment plan', clause: '8.3', path: paths.treatmentPlan },
      { label: 'Incidents', clause: '8.1', path: paths.incidents },
    ],
  },
  {
    clause: '9',
    title: 'Performance evaluation',
    items: [
      { label: 'Metrics', clause: '9.1', path: paths.metrics },
      { label: 'Internal audits', clause: '9.2', path: paths.audits },
      { label: 'Management reviews', clause: '9.3', path: paths.managementReviews },
    ],
  },
  {
    clause: '10',
    title: 'Improvement',
    items: [
      { label: 'Improvement', clause: '10.1', path: paths.improvements },
      { label: 'Nonconformities', clause: '10.2', path: paths.nonconformities },
    ],
  },
  {
    clause: '',
    title: 'Organization',
    items: [
      { label: 'Members', path: paths.members, roles: ['admin'] },
      { label: 'Framework catalogs', path: () => paths.frameworks() },
    ],
  },
];
