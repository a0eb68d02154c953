import type {
  DataCenter,
  DataCenterAsOf,
  DataCenterDetail,
  DevelopmentSignIn,
  DevelopmentSignInOptions,
  Finding,
  FleetAsOf,
  FleetDataCenterAsOf,
  FleetMixDimension,
  FleetMixRow,
  LedgerEvent,
  LicenceBalance,
  Page,
  Rental,
  RuleAt,
  Severity,
} from './types';

/** What went wrong, in the terms a page shows: each kind has its own designed state. */
export type ApiErrorKind = 'network' | 'unauthorised' | 'forbidden' | 'not-found' | 'not-served' | 'unavailable' | 'invalid' | 'server';

/** A failed request: the kind, and the problem+json the API answered with (if any). */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const kindOf = (status: number): ApiErrorKind =>
  status === 401 ? 'unauthorised' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status === 503 ? 'unavailable' : status >= 500 ? 'server' : 'invalid';

export interface FindingsFilter {
  readonly status?: 'open' | 'closed';
  readonly severity?: Severity;
  readonly ruleId?: string;
  readonly dataCenterId?: string;
}

export interface ApiClientOptions {
  /** '' for the page's own origin (the app serves both). */
  readonly baseUrl?: string;
  readonly token: string | null;
  /** Called on every 401: the token expired or was refused. */
  readonly onUnauthorised?: () => void;
}

/** Pages of up to this many rows; every list is read to its end (fleets of hundreds of data centers, not millions). */
const PAGE_SIZE = 200;

/**
 * The query API and the auditors' read side (as-of, histories, events, the rulebook), one function per endpoint;
 * pages only ever call these functions.
 */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get token(): string | null {
    return this.options.token;
  }

  listDataCenters(signal?: AbortSignal): Promise<DataCenter[]> {
    return this.all<DataCenter>('/data-centers', {}, signal);
  }

  getDataCenter(dataCenterId: string, signal?: AbortSignal): Promise<DataCenterDetail> {
    return this.get<DataCenterDetail>(`/data-centers/${encodeURIComponent(dataCenterId)}`, {}, signal);
  }

  async getFleetMix(by: FleetMixDimension, signal?: AbortSignal): Promise<FleetMixRow[]> {
    return [...(await this.get<{ items: FleetMixRow[] }>('/fleet-mix', { by }, signal)).items];
  }

  listFindings(filter: FindingsFilter, signal?: AbortSignal): Promise<Finding[]> {
    return this.all<Finding>('/findings', { ...filter }, signal);
  }

  async listLicencesUsedAt(dataCenterId: string, signal?: AbortSignal): Promise<LicenceBalance[]> {
    return [...(await this.get<{ items: LicenceBalance[] }>('/export-licences', { dataCenterId }, signal)).items];
  }

  getLicenceBalance(licenceId: string, signal?: AbortSignal): Promise<LicenceBalance> {
    return this.get<LicenceBalance>(`/export-licences/${encodeURIComponent(licenceId)}/balance`, {}, signal);
  }

  listRentals(filter: { providerDataCenterId?: string; tenantOrganisationId?: string }, signal?: AbortSignal): Promise<Rental[]> {
    return this.all<Rental>('/rentals', { ...filter }, signal);
  }

  /** The fleet as the world was at `occurredAt` (as the ledger knows it now), every page of data centers read. */
  async getFleetAsOf(occurredAt: string, signal?: AbortSignal): Promise<FleetAsOf> {
    type FleetPage = Page<FleetDataCenterAsOf> & { occurredAt: string; knownAt: string; totals: { installed: FleetAsOf['installed']; openFindings: FleetAsOf['openFindings'] } };
    const read = (cursor?: string) => this.get<FleetPage>('/audit/fleet/as-of', { occurredAt, limit: String(PAGE_SIZE), cursor }, signal);
    // The totals and instants come with every page, the same on each.
    const first = await read();
    const dataCenters: FleetDataCenterAsOf[] = [...first.items];
    for (let cursor = first.nextCursor; cursor; ) {
      const page = await read(cursor);
      dataCenters.push(...page.items);
      cursor = page.nextCursor;
    }
    return { occurredAt: first.occurredAt, knownAt: first.knownAt, dataCenters, installed: first.totals.installed, openFindings: first.totals.openFindings };
  }

  getDataCenterAsOf(dataCenterId: string, occurredAt: string, signal?: AbortSignal): Promise<DataCenterAsOf> {
    return this.get<DataCenterAsOf>(`/audit/data-centers/${encodeURIComponent(dataCenterId)}/as-of`, { occurredAt }, signal);
  }

  /** Every rule of the rulebook with its standing at `at` (default now). */
  async listRulesAt(at: string | undefined, signal?: AbortSignal): Promise<RuleAt[]> {
    return [...(await this.get<{ items: RuleAt[] }>('/rules', { at }, signal)).items];
  }

  getEvent(eventId: string, signal?: AbortSignal): Promise<LedgerEvent> {
    return this.get<LedgerEvent>(`/events/${encodeURIComponent(eventId)}`, {}, signal);
  }

  /** One page of a stream's history, oldest first. */
  streamHistory(streamId: string, limit: number, signal?: AbortSignal): Promise<Page<LedgerEvent>> {
    return this.get<Page<LedgerEvent>>(`/audit/streams/${encodeURIComponent(streamId)}/history`, { order: 'oldest', limit: String(limit) }, signal);
  }

  /** A data center's history of the given event types, oldest first, every page read. */
  dataCenterHistory(dataCenterId: string, types: readonly string[], signal?: AbortSignal): Promise<LedgerEvent[]> {
    return this.all<LedgerEvent>(`/audit/data-centers/${encodeURIComponent(dataCenterId)}/history`, { order: 'oldest', type: types.join(',') }, signal);
  }

  /** The development sign-in's options, or null where the server offers none (distributed form, real secret). */
  async developmentSignInOptions(signal?: AbortSignal): Promise<DevelopmentSignInOptions | null> {
    try {
      return await this.request<DevelopmentSignInOptions>('GET', '/dev/sign-in', {}, undefined, signal, false);
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  developmentSignIn(role: 'viewer' | 'auditor', organisationId: string): Promise<DevelopmentSignIn> {
    return this.request<DevelopmentSignIn>('POST', '/dev/sign-in', {}, { role, organisationId }, undefined, false);
  }

  private get<T>(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, query, undefined, signal, true);
  }

  private async all<T>(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<Page<T>>(path, { ...query, limit: String(PAGE_SIZE), cursor }, signal);
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, query: Record<string, string | undefined>, body: unknown, signal: AbortSignal | undefined, authenticated: boolean): Promise<T> {
    const url = new URL(`${this.options.baseUrl ?? ''}${path}`, window.location.origin);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticated && this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError('network', `The Chip Ledger API at ${url.origin} does not answer.`);
    }
    if (response.ok) return (await response.json()) as T;
    const problem = (await response.json().catch(() => null)) as { detail?: string; title?: string; code?: string; field?: string } | null;
    // A route this server does not have (Express' "Cannot GET"): in the distributed form the projection service serves
    // the page and the query API, and the auditors' API (as-of, histories, events, rules) is audit-service's.
    const notServed = response.status === 404 && problem?.code === 'RESOURCE.NOT_FOUND' && (problem.detail ?? '').startsWith('Cannot ');
    const error = new ApiError(notServed ? 'not-served' : kindOf(response.status), problem?.detail ?? problem?.title ?? `${method} ${path} answered ${response.status}`, response.status, problem?.code ?? null, problem?.field ?? null);
    if (error.kind === 'unauthorised' && authenticated) this.options.onUnauthorised?.();
    throw error;
  }
}
