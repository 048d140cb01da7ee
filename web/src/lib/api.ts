// The one client of the Certus REST API. Every request of the UI goes through `request`,
// which adds the CSRF token to writes, sends If-Match where asked, and turns any answer that
// is not 2xx into an `ApiError` carrying the RFC 9457 problem (with per-field errors).

import type {
  Asset,
  Risk,
  RiskInput,
  RiskQuery,
  Treatment,
  TreatmentStatus,
  AssetInput,
  AssetQuery,
  ContextIssue,
  ContextIssueInput,
  ContextIssueQuery,
  HistoryEvent,
  LoginResponse,
  MeResponse,
  Member,
  Methodology,
  MethodologyCriteria,
  MethodologyState,
  Org,
  Page,
  Role,
  Control,
  ControlInput,
  ControlQuery,
  Coverage,
  Framework,
  FrameworkImport,
  FrameworkMapping,
  NewControlInput,
  Requirement,
  RequirementQuery,
  Soa,
  SoaDiff,
  SoaExportFormat,
  SoaSummary,
  SoaVersion,
  SoaVersionWithRows,
  Heatmap,
  HeatmapBasis,
  RatedRisk,
  RiskAssessment,
  RiskAssessmentComparison,
  RiskExportFormat,
  RiskReRating,
  RiskImportReport,
  TreatmentPlan,
  Evidence,
  EvidenceInput,
  EvidenceQuery,
} from './types';
import type {
  DocumentAcknowledgments,
  DocumentDiff,
  DocumentInput,
  DocumentQuery,
  DocumentRecord,
  DocumentStep,
  DocumentVersion,
} from './types';

const BASE = '/api/v1';

/** One entry of a problem's `errors` array: a field name and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem document as the server sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
}

/** A request that reached the server and was answered with a status other than 2xx. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field name → first message, for showing next to form fields. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const field = normalizeField(e.field);
      if (!(field in out)) out[field] = e.message;
    }
    return out;
  }

  /** What to tell a person: the problem's detail, else its title. */
  get userMessage(): string {
    return this.problem.detail || this.problem.title || `Request failed (${this.status})`;
  }
}

/** The request did not reach the server, or its answer could not be read. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The server could not be reached. Check your connection and try again.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** A message for any error a request can throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.userMessage;
  if (err instanceof Error) return err.message;
  return String(err);
}

// Accepts "title", "/title" (JSON pointer) and "body.title".
function normalizeField(field: string): string {
  return field.replace(/^\//, '').replace(/^body\./, '').replace(/\//g, '.');
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The token the server gave at sign-in or in /auth/me; kept in memory only. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request other than sign-in or /auth/me answers 401 (session expired). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The version in an ETag header (`"3"` or `W/"3"`), or null. */
export function versionFromEtag(etag: string | null): number | null {
  if (!etag) return null;
  const m = /^(?:W\/)?"?([^"]*)"?$/.exec(etag.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isInteger(n) ? n : null;
}

interface RequestOptions {
  body?: unknown;
  ifMatch?: number;
  query?: Record<string, string | number | null | undefined>;
  /** Do not call the unauthorized handler on 401 (sign-in and session probe). */
  quiet401?: boolean;
}

export interface Answer<T> {
  data: T;
  status: number;
  etag: string | null;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;

  let url = BASE + path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) {
      if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    throw new NetworkError(err);
  }

  const text = await response.text().catch(() => '');
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!response.ok) {
    const problem = toProblem(response, parsed);
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    throw new ApiError(problem);
  }
  return { data: parsed as T, status: response.status, etag: response.headers.get('ETag') };
}

function toProblem(response: Response, body: unknown): Problem {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  if (!body || typeof body !== 'object') return fallback;
  const b = body as Partial<Problem>;
  return {
    type: typeof b.type === 'string' ? b.type : fallback.type,
    title: typeof b.title === 'string' ? b.title : fallback.title,
    status: typeof b.status === 'number' ? b.status : response.status,
    detail: typeof b.detail === 'string' ? b.detail : undefined,
    errors: Array.isArray(b.errors)
      ? b.errors
          .filter((e): e is FieldProblem => !!e && typeof e.field === 'string')
          .map((e) => ({ field: e.field, message: String(e.message ?? 'Invalid value') }))
      : undefined,
  };
}

// A version from the body, else from the ETag: both are sent, the body is authoritative.
export function withVersion<T extends { version: number }>(answer: Answer<T>): T {
  const data = answer.data;
  if (typeof data.version !== 'number') {
    const v = versionFromEtag(answer.etag);
    if (v !== null) data.version = v;
  }
  return data;
}

export const seg = encodeURIComponent;

export const auth = {
  async login(email: string, password: string): Promise<LoginResponse> {
    const { data } = await request<LoginResponse>('POST', '/auth/login', {
      body: { email, password },
      quiet401: true,
    });
    setCsrfToken(data.csrf_token);
    return data;
  },
  /** The signed-in user, or null when there is no session. */
  async me(): Promise<MeResponse | null> {
    try {
      const { data } = await request<MeResponse>('GET', '/auth/me', { quiet401: true });
      setCsrfToken(data.csrf_token);
      return data;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw err;
    }
  },
  /**
   * Ends the session. For a session opened through the identity provider, the answer may
   * name the provider's sign-out page, to send the browser to (OpenID RP-Initiated Logout).
   */
  async logout(): Promise<string | null> {
    try {
      const { data } = await request<{ logout_url?: string } | undefined>('POST', '/auth/logout', { quiet401: true });
      return data?.logout_url ?? null;
    } finally {
      setCsrfToken(null);
    }
  },
};

export const orgs = {
  async list(): Promise<Org[]> {
    return (await request<{ items: Org[] }>('GET', '/orgs')).data.items;
  },
  async create(name: string): Promise<Org> {
    return withVersion(await request<Org>('POST', '/orgs', { body: { name } }));
  },
};

export const members = {
  async list(org: string): Promise<Member[]> {
    return (await request<{ items: Member[] }>('GET', `/orgs/${seg(org)}/members`)).data.items;
  },
  async add(org: string, email: string, role: Role): Promise<Member> {
    return withVersion(await request<Member>('POST', `/orgs/${seg(org)}/members`, { body: { email, role } }));
  },
  async setRole(org: string, member: Member, role: Role): Promise<Member> {
    return withVersion(
      await request<Member>('PATCH', `/orgs/${seg(org)}/members/${seg(member.user_id)}`, {
        body: { role },
        ifMatch: member.version,
      }),
    );
  },
  async remove(org: string, member: Member): Promise<void> {
    await request<void>('DELETE', `/orgs/${seg(org)}/members/${seg(member.user_id)}`, {
      ifMatch: member.version,
    });
  },
};

export const contextIssues = {
  async list(org: string, query: ContextIssueQuery = {}): Promise<Page<ContextIssue>> {
    const { data } = await request<Page<ContextIssue>>('GET', `/orgs/${seg(org)}/context-issues`, {
      query: { limit: query.limit ?? 50, cursor: query.cursor, sort: query.sort, q: query.q, kind: query.kind },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  async get(org: string, id: string): Promise<ContextIssue> {
    return withVersion(await request<ContextIssue>('GET', `/orgs/${seg(org)}/context-issues/${seg(id)}`));
  },
  async create(org: string, input: ContextIssueInput): Promise<ContextIssue> {
    return withVersion(await request<ContextIssue>('POST', `/orgs/${seg(org)}/context-issues`, { body: input }));
  },
  /** Changes the given fields of the issue whose version was `version`; 412 if it moved on. */
  async update(org: string, id: string, version: number, changes: Partial<ContextIssueInput>): Promise<ContextIssue> {
    return withVersion(
      await request<ContextIssue>('PATCH', `/orgs/${seg(org)}/context-issues/${seg(id)}`, {
        body: changes,
        ifMatch: version,
      }),
    );
  },
  async remove(org: string, id: string, version: number): Promise<void> {
    await request<void>('DELETE', `/orgs/${seg(org)}/context-issues/${seg(id)}`, { ifMatch: version });
  },
  async history(org: string, id: string, cursor?: string | null): Promise<Page<HistoryEvent>> {
    const { data } = await request<Page<HistoryEvent>>(
      'GET',
      `/orgs/${seg(org)}/context-issues/${seg(id)}/history`,
      { query: { cursor } },
    );
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
};

function withEtagVersion(answer: Answer<MethodologyState>): MethodologyState {
  const data = answer.data;
  data.etag_version = versionFromEtag(answer.etag) ?? (data.draft ? data.draft.version : data.version);
  return data;
}

export const riskMethodology = {
  /** The version in force and the draft, if any (an organization starts with a default). */
  async get(org: string): Promise<MethodologyState> {
    return withEtagVersion(await request<MethodologyState>('GET', `/orgs/${seg(org)}/risk-methodology`));
  },
  /** Stores `criteria` as a new draft; `version` is the newest version read (412 if it moved on). */
  async put(org: string, version: number, criteria: MethodologyCriteria): Promise<MethodologyState> {
    return withEtagVersion(
      await request<MethodologyState>('PUT', `/orgs/${seg(org)}/risk-methodology`, {
        body: criteria,
        ifMatch: version,
      }),
    );
  },
  /** Puts the draft whose version is `draftVersion` in force; 412 if a newer draft replaced it. */
  async approve(org: string, draftVersion: number): Promise<MethodologyState> {
    return withEtagVersion(
      await request<MethodologyState>('POST', `/orgs/${seg(org)}/risk-methodology/approve`, { ifMatch: draftVersion }),
    );
  },
  async versions(org: string): Promise<Methodology[]> {
    return (await request<{ items: Methodology[] }>('GET', `/orgs/${seg(org)}/risk-methodology/versions`)).data.items;
  },
};

export const assets = {
  async list(org: string, query: AssetQuery = {}): Promise<Page<Asset>> {
    const { data } = await request<Page<Asset>>('GET', `/orgs/${seg(org)}/assets`, {
      query: {
        limit: query.limit ?? 50,
        cursor: query.cursor,
        sort: query.sort,
        q: query.q,
        type: query.type,
        classification: query.classification,
        owner_id: query.owner_id,
      },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  async get(org: string, id: string): Promise<Asset> {
    return withVersion(await request<Asset>('GET', `/orgs/${seg(org)}/assets/${seg(id)}`));
  },
  async create(org: string, input: AssetInput): Promise<Asset> {
    return withVersion(await request<Asset>('POST', `/orgs/${seg(org)}/assets`, { body: input }));
  },
  /** Changes the given fields of the asset whose version was `version`; 412 if it moved on. */
  async update(org: string, id: string, version: number, changes: Partial<AssetInput>): Promise<Asset> {
    return withVersion(
      await request<Asset>('PATCH', `/orgs/${seg(org)}/assets/${seg(id)}`, { body: changes, ifMatch: version }),
    );
  },
  async remove(org: string, id: string, version: number): Promise<void> {
    await request<void>('DELETE', `/orgs/${seg(org)}/assets/${seg(id)}`, { ifMatch: version });
  },
};

export const risks = {
  async list(org: string, query: RiskQuery = {}): Promise<Page<Risk>> {
    const { data } = await request<Page<Risk>>('GET', `/orgs/${seg(org)}/risks`, {
      query: {
        limit: query.limit ?? 50,
        cursor: query.cursor,
        sort: query.sort,
        q: query.q,
        treatment: query.treatment,
        status: query.status,
        owner_id: query.owner_id,
        level: query.level,
        likelihood: query.likelihood,
        impact: query.impact,
        basis: query.basis,
      },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  async get(org: string, id: string): Promise<Risk> {
    return withVersion(await request<Risk>('GET', `/orgs/${seg(org)}/risks/${seg(id)}`));
  },
  async create(org: string, input: Partial<RiskInput>): Promise<Risk> {
    return withVersion(await request<Risk>('POST', `/orgs/${seg(org)}/risks`, { body: input }));
  },
  /** Changes the given fields of the risk whose version was `version`; 412 if it moved on. */
  async update(org: string, id: string, version: number, changes: Partial<RiskInput>): Promise<Risk> {
    return withVersion(
      await request<Risk>('PATCH', `/orgs/${seg(org)}/risks/${seg(id)}`, { body: changes, ifMatch: version }),
    );
  },
};

export const treatments = {
  async listForRisk(org: string, riskId: string): Promise<Treatment[]> {
    const { data } = await request<Page<Treatment>>('GET', `/orgs/${seg(org)}/treatments`, {
      query: { risk_id: riskId, limit: 500 },
    });
    return data.items ?? [];
  },
  async create(org: string, riskId: string, title: string): Promise<Treatment> {
    return withVersion(
      await request<Treatment>('POST', `/orgs/${seg(org)}/treatments`, { body: { risk_id: riskId, title } }),
    );
  },
  async setStatus(org: string, id: string, version: number, status: TreatmentStatus): Promise<Treatment> {
    return withVersion(
      await request<Treatment>('PATCH', `/orgs/${seg(org)}/treatments/${seg(id)}`, { body: { status }, ifMatch: version }),
    );
  },
  /** Changes the given fields of the action whose version was `version`; 412 if it moved on. */
  async update(
    org: string,
    id: string,
    version: number,
    changes: Partial<Pick<Treatment, 'status' | 'completion_note' | 'control_id'>>,
  ): Promise<Treatment> {
    return withVersion(
      await request<Treatment>('PATCH', `/orgs/${seg(org)}/treatments/${seg(id)}`, { body: changes, ifMatch: version }),
    );
  },
};

// ---------------------------------------------------------------- frameworks, controls, SoA

/**
 * Sends `text` as the body of a POST with upload progress (fetch cannot report it), and
 * answers like `request`: the parsed body, or an ApiError with the problem.
 */
function upload<T>(
  path: string,
  text: string,
  contentType: string,
  query: Record<string, string | undefined>,
  onProgress?: (sent: number, total: number) => void,
): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path + (qs ? `?${qs}` : ''));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Content-Type', contentType);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : text.length);
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onload = () => {
      let parsed: unknown = undefined;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as T);
        return;
      }
      const response = new Response(null, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status === 401) onUnauthorized?.();
      reject(new ApiError(toProblem(response, parsed)));
    };
    xhr.send(new Blob([text], { type: contentType }));
  });
}

export const frameworks = {
  async list(): Promise<Framework[]> {
    const out: Framework[] = [];
    let cursor: string | null = null;
    do {
      const { data }: Answer<Page<Framework>> = await request<Page<Framework>>('GET', '/frameworks', {
        query: { limit: 500, cursor },
      });
      out.push(...(data.items ?? []));
      cursor = data.next_cursor ?? null;
    } while (cursor);
    return out;
  },
  async get(id: string): Promise<Framework> {
    return (await request<Framework>('GET', `/frameworks/${seg(id)}`)).data;
  },
  async requirements(id: string, query: RequirementQuery = {}): Promise<Page<Requirement>> {
    const { data } = await request<Page<Requirement>>('GET', `/frameworks/${seg(id)}/requirements`, {
      query: { limit: query.limit ?? 50, cursor: query.cursor, q: query.q, kind: query.kind, parent: query.parent },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  /** Imports an OSCAL catalog (the file's text as is); `key` optionally names the framework. */
  importOscal(text: string, key?: string, onProgress?: (sent: number, total: number) => void): Promise<FrameworkImport> {
    return upload<FrameworkImport>('/frameworks/import', text, 'application/json', { key }, onProgress);
  },
  /** Imports requirement mappings from CSV; nothing is imported if any line is bad (422). */
  importMappings(
    csv: string,
    onProgress?: (sent: number, total: number) => void,
    skipMissing = false,
  ): Promise<{ imported: number; skipped: number }> {
    const path = skipMissing ? '/frameworks/mappings?skip_missing=true' : '/frameworks/mappings';
    return upload<{ imported: number; skipped: number }>(path, csv, 'text/csv', {}, onProgress);
  },
  async mappings(id: string, target?: string): Promise<FrameworkMapping[]> {
    const { data } = await request<Page<FrameworkMapping>>('GET', `/frameworks/${seg(id)}/mappings`, {
      query: { target },
    });
    return data.items ?? [];
  },
};

export const controls = {
  async list(org: string, query: ControlQuery = {}): Promise<Page<Control>> {
    const { data } = await request<Page<Control>>('GET', `/orgs/${seg(org)}/controls`, {
      query: {
        limit: query.limit ?? 50,
        cursor: query.cursor,
        sort: query.sort,
        q: query.q,
        theme: query.theme,
        applicable: query.applicable,
        implementation_status: query.implementation_status,
        owner_id: query.owner_id,
      },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  /** Every control of the organization, in catalog order (for pickers). */
  async all(org: string): Promise<Control[]> {
    const out: Control[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Control> = await controls.list(org, { limit: 500, cursor });
      out.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  },
  async get(org: string, id: string): Promise<Control> {
    return withVersion(await request<Control>('GET', `/orgs/${seg(org)}/controls/${seg(id)}`));
  },
  async create(org: string, input: NewControlInput): Promise<Control> {
    return withVersion(await request<Control>('POST', `/orgs/${seg(org)}/controls`, { body: input }));
  },
  /** Changes the given fields of the control whose version was `version`; 412 if it moved on. */
  async update(org: string, id: string, version: number, changes: Partial<ControlInput>): Promise<Control> {
    return withVersion(
      await request<Control>('PATCH', `/orgs/${seg(org)}/controls/${seg(id)}`, { body: changes, ifMatch: version }),
    );
  },
  async remove(org: string, id: string, version: number): Promise<void> {
    await request<void>('DELETE', `/orgs/${seg(org)}/controls/${seg(id)}`, { ifMatch: version });
  },
  async history(org: string, id: string, cursor?: string | null): Promise<Page<HistoryEvent>> {
    const { data } = await request<Page<HistoryEvent>>('GET', `/orgs/${seg(org)}/controls/${seg(id)}/history`, {
      query: { cursor },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
};

export const soa = {
  async get(org: string): Promise<Soa> {
    return (await request<Soa>('GET', `/orgs/${seg(org)}/soa`)).data;
  },
  /** The summary alone (`rows=false`): no row, so the server reads none of the SoA's links. */
  async summary(org: string): Promise<SoaSummary> {
    const answer = await request<{ framework_id: string; summary: SoaSummary }>('GET', `/orgs/${seg(org)}/soa`, {
      query: { rows: 'false' },
    });
    return answer.data.summary;
  },
  async approve(org: string, notes: string): Promise<SoaVersion> {
    return (await request<SoaVersion>('POST', `/orgs/${seg(org)}/soa/versions`, { body: { notes } })).data;
  },
  async versions(org: string): Promise<SoaVersion[]> {
    const out: SoaVersion[] = [];
    let cursor: string | null = null;
    do {
      const { data }: Answer<Page<SoaVersion>> = await request<Page<SoaVersion>>('GET', `/orgs/${seg(org)}/soa/versions`, {
        query: { limit: 500, cursor },
      });
      out.push(...(data.items ?? []));
      cursor = data.next_cursor ?? null;
    } while (cursor);
    return out;
  },
  async version(org: string, number: number): Promise<SoaVersionWithRows> {
    return (await request<SoaVersionWithRows>('GET', `/orgs/${seg(org)}/soa/versions/${number}`)).data;
  },
  /** What changed from version `from` to version `to` (omitted: the current SoA). */
  async diff(org: string, from: number, to?: number | null): Promise<SoaDiff> {
    return (await request<SoaDiff>('GET', `/orgs/${seg(org)}/soa/diff`, { query: { from, to } })).data;
  },
  /** The URL of an export; the server answers with the file as an attachment. */
  exportUrl(org: string, format: SoaExportFormat, version?: number | null): string {
    const params = new URLSearchParams({ format });
    if (version) params.set('version', String(version));
    return `${BASE}/orgs/${seg(org)}/soa/export?${params.toString()}`;
  },
};

export const coverage = {
  async get(org: string, frameworkId: string): Promise<Coverage> {
    return (await request<Coverage>('GET', `/orgs/${seg(org)}/coverage`, { query: { framework_id: frameworkId } })).data;
  },
};

// ---------------------------------------------------------------- risk analysis (6.1.2, 6.1.3, 8.2, 8.3)

export const riskAnalysis = {
  /** `ids: false` counts only (no `risk_ids`): what a heat map shows. */
  async heatmap(org: string, basis: HeatmapBasis, options: { ids?: boolean } = {}): Promise<Heatmap> {
    const ids = options.ids === false ? 'false' : undefined;
    return (await request<Heatmap>('GET', `/orgs/${seg(org)}/risks/heatmap`, { query: { basis, ids } })).data;
  },
  /** Every risk of the register (all pages), for looking risks up by id. */
  async allRisks(org: string): Promise<Risk[]> {
    const out: Risk[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Risk> = await risks.list(org, { limit: 500, cursor });
      out.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  },
  async treatmentPlan(
    org: string,
    query: { overdue?: boolean; limit?: number; cursor?: string | null } = {},
  ): Promise<TreatmentPlan> {
    const { data } = await request<TreatmentPlan>('GET', `/orgs/${seg(org)}/risk-treatment-plan`, {
      query: { overdue: query.overdue ? 'true' : undefined, limit: query.limit ?? 50, cursor: query.cursor },
    });
    return { ...data, items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  /** The URL of the treatment plan's export; the server answers with the file as an attachment. */
  treatmentPlanExportUrl(org: string, format: RiskExportFormat): string {
    return `${BASE}/orgs/${seg(org)}/risk-treatment-plan/export?format=${format}`;
  },
  /**
   * Imports a register CSV (the export's columns). A dry run answers the counts and problems
   * and writes nothing; a real import with problems throws an ApiError (422) naming each
   * problem as "line N: column".
   */
  importRegister(
    org: string,
    csv: string,
    dryRun: boolean,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<RiskImportReport> {
    return upload<RiskImportReport>(
      `/orgs/${seg(org)}/risks/import`,
      csv,
      'text/csv',
      { dry_run: dryRun ? 'true' : undefined },
      onProgress,
    );
  },
  /** The URL of the risk register's export (an attachment). */
  registerExportUrl(org: string, format: RiskExportFormat): string {
    return `${BASE}/orgs/${seg(org)}/risks/export?format=${format}`;
  },
  async reRatings(org: string): Promise<RiskReRating[]> {
    return (await request<Page<RiskReRating>>('GET', `/orgs/${seg(org)}/risk-methodology/re-rating`)).data.items ?? [];
  },
  /** Retains the register as it is now (managers and admins). */
  async takeAssessment(org: string, name: string, notes: string): Promise<RiskAssessment> {
    return (await request<RiskAssessment>('POST', `/orgs/${seg(org)}/risk-assessments`, { body: { name, notes } })).data;
  },
  /** Retained assessments, newest first. */
  async assessments(org: string, cursor?: string | null): Promise<Page<RiskAssessment>> {
    const { data } = await request<Page<RiskAssessment>>('GET', `/orgs/${seg(org)}/risk-assessments`, {
      query: { limit: 50, cursor },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  async assessment(org: string, id: string): Promise<RiskAssessment> {
    return (await request<RiskAssessment>('GET', `/orgs/${seg(org)}/risk-assessments/${seg(id)}`)).data;
  },
  /** The risks of a retained assessment, by ref. */
  async assessedRisks(org: string, id: string, cursor?: string | null, limit = 50): Promise<Page<RatedRisk>> {
    const { data } = await request<Page<RatedRisk>>('GET', `/orgs/${seg(org)}/risk-assessments/${seg(id)}/risks`, {
      query: { limit, cursor },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  /** What changed from assessment `from` to assessment `to` (null: the register today). */
  async compare(org: string, from: string, to: string | null): Promise<RiskAssessmentComparison> {
    return (
      await request<RiskAssessmentComparison>('GET', `/orgs/${seg(org)}/risk-assessments/compare`, {
        query: { from, to: to ?? 'current' },
      })
    ).data;
  },
};

// ---- Interested parties (4.2), roles and the RACI matrix (5.3), leadership records (5.1) ----

import type {
  InterestedParty,
  InterestedPartyInput,
  InterestedPartyQuery,
  IsmsRole,
  IsmsRoleInput,
  IsmsRoleQuery,
  LeadershipRecord,
  LeadershipRecordInput,
  LeadershipRecordQuery,
  RaciAssignment,
  RaciMatrix,
} from './types';

export async function listPage<T>(path: string, query: Record<string, string | number | null | undefined>): Promise<Page<T>> {
  const { data } = await request<Page<T>>('GET', path, { query });
  return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
}

/**
 * The client of an organization's collection that follows the API's usual shape: a keyset-
 * paged list, get, create, PATCH and DELETE with If-Match, and the history of one record.
 */
export function orgCollection<T extends { version: number }, Input, Query extends { limit?: number }>(resource: string) {
  const base = (org: string) => `/orgs/${seg(org)}/${resource}`;
  const one = (org: string, id: string) => `${base(org)}/${seg(id)}`;
  return {
    list(org: string, query: Query = {} as Query): Promise<Page<T>> {
      return listPage(base(org), { limit: query.limit ?? 50, ...query });
    },
    async get(org: string, id: string): Promise<T> {
      return withVersion(await request<T>('GET', one(org, id)));
    },
    async create(org: string, input: Input): Promise<T> {
      return withVersion(await request<T>('POST', base(org), { body: input }));
    },
    async update(org: string, id: string, version: number, changes: Partial<Input>): Promise<T> {
      return withVersion(await request<T>('PATCH', one(org, id), { body: changes, ifMatch: version }));
    },
    async remove(org: string, id: string, version: number): Promise<void> {
      await request<void>('DELETE', one(org, id), { ifMatch: version });
    },
    history(org: string, id: string, cursor?: string | null): Promise<Page<HistoryEvent>> {
      return listPage(`${one(org, id)}/history`, { cursor });
    },
  };
}

export const interestedParties = orgCollection<InterestedParty, InterestedPartyInput, InterestedPartyQuery>(
  'interested-parties',
);

export const ismsRoles = orgCollection<IsmsRole, IsmsRoleInput, IsmsRoleQuery>('roles');

export const raci = {
  async get(org: string): Promise<RaciMatrix> {
    return withVersion(await request<RaciMatrix>('GET', `/orgs/${seg(org)}/raci`));
  },
  /** Replaces the whole matrix saved at `version`; 412 if someone saved since. */
  async put(org: string, version: number, assignments: RaciAssignment[]): Promise<RaciMatrix> {
    return withVersion(
      await request<RaciMatrix>('PUT', `/orgs/${seg(org)}/raci`, { body: { assignments }, ifMatch: version }),
    );
  },
};

// Leadership records are never deleted (5.1: what top management decided stays on record).
const { remove: _remove, ...leadershipRecordsClient } = orgCollection<
  LeadershipRecord,
  LeadershipRecordInput,
  LeadershipRecordQuery
>('leadership-records');
export const leadershipRecords = leadershipRecordsClient;

// ---------------------------------------------------------------- evidence (7.5, 8.1)

/**
 * Sends a file as the raw body of `method path` with upload progress; the server reads the
 * record's fields from the query and the file's name from X-Filename (percent-encoded).
 */
function uploadFile<T>(
  method: 'POST' | 'PUT',
  path: string,
  file: Blob & { name?: string },
  filename: string,
  query: Record<string, string | string[] | undefined>,
  ifMatch: number | undefined,
  onProgress?: (sent: number, total: number) => void,
): Promise<{ data: T; etag: string | null }> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else if (v) params.set(k, v);
  }
  const qs = params.toString();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, BASE + path + (qs ? `?${qs}` : ''));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('X-Filename', encodeURIComponent(filename));
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    if (ifMatch !== undefined) xhr.setRequestHeader('If-Match', `"${ifMatch}"`);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onload = () => {
      let parsed: unknown = undefined;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ data: parsed as T, etag: xhr.getResponseHeader('ETag') });
        return;
      }
      const response = new Response(null, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status === 401) onUnauthorized?.();
      reject(new ApiError(toProblem(response, parsed)));
    };
    xhr.send(file);
  });
}

export const evidence = {
  async list(org: string, query: EvidenceQuery = {}): Promise<Page<Evidence>> {
    const { data } = await request<Page<Evidence>>('GET', `/orgs/${seg(org)}/evidence`, {
      query: {
        limit: query.limit ?? 50,
        cursor: query.cursor,
        sort: query.sort,
        q: query.q,
        kind: query.kind,
        control_id: query.control_id,
        owner_id: query.owner_id,
        expired: query.expired,
        expiring_before: query.expiring_before,
        archived: query.archived ? 'true' : undefined,
      },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  async get(org: string, id: string): Promise<Evidence> {
    return withVersion(await request<Evidence>('GET', `/orgs/${seg(org)}/evidence/${seg(id)}`));
  },
  /** A link or a note. */
  async create(org: string, kind: 'link' | 'note', input: Partial<EvidenceInput>): Promise<Evidence> {
    return withVersion(
      await request<Evidence>('POST', `/orgs/${seg(org)}/evidence`, { body: { kind, ...input } }),
    );
  },
  /** A file: one request stores it and creates the record. */
  async createFile(
    org: string,
    file: File,
    input: Pick<EvidenceInput, 'title' | 'description' | 'control_ids' | 'collected_on' | 'valid_until' | 'owner_id'>,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<Evidence> {
    const answer = await uploadFile<Evidence>(
      'POST',
      `/orgs/${seg(org)}/evidence/files`,
      file,
      file.name,
      {
        title: input.title,
        description: input.description || undefined,
        control_id: input.control_ids,
        collected_on: input.collected_on ?? undefined,
        valid_until: input.valid_until ?? undefined,
        owner_id: input.owner_id ?? undefined,
      },
      undefined,
      onProgress,
    );
    return withVersion({ data: answer.data, status: 201, etag: answer.etag });
  },
  /** Replaces the file of file evidence whose version was `version` (412 if it moved on). */
  async replaceFile(
    org: string,
    id: string,
    version: number,
    file: File,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<Evidence> {
    const answer = await uploadFile<Evidence>(
      'PUT',
      `/orgs/${seg(org)}/evidence/${seg(id)}/file`,
      file,
      file.name,
      {},
      version,
      onProgress,
    );
    return withVersion({ data: answer.data, status: 200, etag: answer.etag });
  },
  /** Changes the given fields of the evidence whose version was `version`; 412 if it moved on. */
  async update(org: string, id: string, version: number, changes: Partial<EvidenceInput>): Promise<Evidence> {
    return withVersion(
      await request<Evidence>('PATCH', `/orgs/${seg(org)}/evidence/${seg(id)}`, { body: changes, ifMatch: version }),
    );
  },
  async history(org: string, id: string, cursor?: string | null): Promise<Page<HistoryEvent>> {
    const { data } = await request<Page<HistoryEvent>>('GET', `/orgs/${seg(org)}/evidence/${seg(id)}/history`, {
      query: { cursor },
    });
    return { items: data.items ?? [], next_cursor: data.next_cursor ?? null };
  },
  /** The URL of the file (an attachment); with `sha256`, a past version of it. */
  fileUrl(org: string, id: string, sha256?: string): string {
    const base = `${BASE}/orgs/${seg(org)}/evidence/${seg(id)}/file`;
    return sha256 ? `${base}?sha256=${encodeURIComponent(sha256)}` : base;
  },
};

// Documented information (ISO 27001 4.3, 5.2, 7.5): documents, versions, acknowledgments.
export const documents = {
  list(org: string, query: DocumentQuery = {}): Promise<Page<DocumentRecord>> {
    return listPage(`/orgs/${seg(org)}/documents`, { limit: query.limit ?? 50, ...query });
  },
  async get(org: string, id: string): Promise<DocumentRecord> {
    return withVersion(await request<DocumentRecord>('GET', `/orgs/${seg(org)}/documents/${seg(id)}`));
  },
  async create(org: string, input: DocumentInput): Promise<DocumentRecord> {
    return withVersion(await request<DocumentRecord>('POST', `/orgs/${seg(org)}/documents`, { body: input }));
  },
  async update(org: string, id: string, version: number, changes: Partial<DocumentInput>): Promise<DocumentRecord> {
    return withVersion(
      await request<DocumentRecord>('PATCH', `/orgs/${seg(org)}/documents/${seg(id)}`, { body: changes, ifMatch: version }),
    );
  },
  async remove(org: string, id: string, version: number): Promise<void> {
    await request<void>('DELETE', `/orgs/${seg(org)}/documents/${seg(id)}`, { ifMatch: version });
  },
  history(org: string, id: string, cursor?: string | null): Promise<Page<HistoryEvent>> {
    return listPage(`/orgs/${seg(org)}/documents/${seg(id)}/history`, { cursor });
  },
  async versions(org: string, id: string): Promise<DocumentVersion[]> {
    const { data } = await request<{ items: DocumentVersion[] }>('GET', `/orgs/${seg(org)}/documents/${seg(id)}/versions`);
    return data.items ?? [];
  },
  async createVersion(org: string, id: string, content: string, change_summary: string): Promise<DocumentVersion> {
    return withVersion(
      await request<DocumentVersion>('POST', `/orgs/${seg(org)}/documents/${seg(id)}/versions`, {
        body: { content, change_summary },
      }),
    );
  },
  async updateVersion(
    org: string,
    id: string,
    number: number,
    version: number,
    changes: { content?: string; change_summary?: string },
  ): Promise<DocumentVersion> {
    return withVersion(
      await request<DocumentVersion>('PATCH', `/orgs/${seg(org)}/documents/${seg(id)}/versions/${number}`, {
        body: changes,
        ifMatch: version,
      }),
    );
  },
  async step(org: string, id: string, number: number, step: DocumentStep, comment?: string): Promise<DocumentVersion> {
    return withVersion(
      await request<DocumentVersion>('POST', `/orgs/${seg(org)}/documents/${seg(id)}/versions/${number}/${step}`, {
        body: comment === undefined ? {} : { comment },
      }),
    );
  },
  /** Attaches a file to the draft `number` whose version was `version` (412 if it moved on). */
  async addAttachment(
    org: string,
    id: string,
    number: number,
    version: number,
    file: File,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<DocumentVersion> {
    const path = `/orgs/${seg(org)}/documents/${seg(id)}/versions/${number}/attachments`;
    const answer = await uploadFile<DocumentVersion>('POST', path, file, file.name, {}, version, onProgress);
    return withVersion({ data: answer.data, status: 201, etag: answer.etag });
  },
  async removeAttachment(org: string, id: string, number: number, version: number, attachmentId: string): Promise<DocumentVersion> {
    const path = `/orgs/${seg(org)}/documents/${seg(id)}/versions/${number}/attachments/${seg(attachmentId)}`;
    return withVersion(await request<DocumentVersion>('DELETE', path, { ifMatch: version }));
  },
  /** The URL of an attachment (always downloaded, never shown in our origin). */
  attachmentUrl(org: string, id: string, number: number, attachmentId: string): string {
    return `${BASE}/orgs/${seg(org)}/documents/${seg(id)}/versions/${number}/attachments/${seg(attachmentId)}`;
  },
  /** Markdown rendered and sanitized by the server, exactly as versions are. */
  async preview(org: string, content: string): Promise<string> {
    const { data } = await request<{ html: string }>('POST', `/orgs/${seg(org)}/documents/preview`, { body: { content } });
    return data.html;
  },
  /** The URL of a rendered version (html opens in a tab, pdf downloads). */
  renderUrl(org: string, id: string, number: number, format: 'html' | 'pdf'): string {
    return `${BASE}/orgs/${seg(org)}/documents/${seg(id)}/versions/${number}?format=${format}`;
  },
  async diff(org: string, id: string, from: number, to: number): Promise<DocumentDiff> {
    const { data } = await request<DocumentDiff>('GET', `/orgs/${seg(org)}/documents/${seg(id)}/diff`, {
      query: { from, to },
    });
    return data;
  },
  async acknowledge(org: string, id: string): Promise<void> {
    await request<unknown>('POST', `/orgs/${seg(org)}/documents/${seg(id)}/acknowledgments`, { body: {} });
  },
  async acknowledgments(org: string, id: string): Promise<DocumentAcknowledgments> {
    const { data } = await request<DocumentAcknowledgments>('GET', `/orgs/${seg(org)}/documents/${seg(id)}/acknowledgments`);
    return data;
  },
};
