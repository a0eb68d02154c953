import { streamIds } from '@chip-ledger/domain';
import type { LedgerEntry } from '../as-of/ledger-entry';
import type { LedgerReader } from './ledger-reader';

/** Everything an as-of of one data center can fold, read once, and the keys `asOfEvents` selected it by. */
interface CachedClosure {
  readonly dataCenterId: string;
  /** Per store, the commit horizon the events were read at: every event with a lower transaction id is in `events` (or irrelevant). */
  horizons: Record<string, string>;
  events: LedgerEntry[];
  readonly ids: Set<string>;
  /** The data centers its events name (itself, the other ends of transfers and of its licences' uses). */
  readonly dataCenters: Set<string>;
  readonly rentalStreams: Set<string>;
  readonly licences: Set<string>;
  readonly organisationStreams: Set<string>;
}

const ALL_OF_TIME = { occurredAt: '9999-12-31T23:59:59.999Z', knownAt: '9999-12-31T23:59:59.999Z' };
const CATALOG = new Set(['ChipModelAdded', 'ChipModelCorrected']);
const DATA_CENTER_KEYS = ['dataCenterId', 'fromDataCenterId', 'toDataCenterId', 'providerDataCenterId'];
const ORGANISATION_KEYS = ['ownerOrganisationId', 'buyerOrganisationId', 'tenantOrganisationId'];

const str = (d: Record<string, unknown>, key: string): string | null => (typeof d[key] === 'string' ? (d[key] as string) : null);

/** The data centers, licences and organisations an event names. */
const named = (e: LedgerEntry): { dataCenters: string[]; licences: string[]; organisations: string[] } => {
  const d = e.data as Record<string, unknown>;
  const pick = (keys: readonly string[]) => keys.map((k) => str(d, k)).filter((v): v is string => v !== null);
  return { dataCenters: pick(DATA_CENTER_KEYS), licences: pick(['licenceId']), organisations: pick(ORGANISATION_KEYS) };
};

const closureOf = (dataCenterId: string, horizons: Record<string, string>, events: LedgerEntry[]): CachedClosure => {
  const c: CachedClosure = {
    dataCenterId,
    horizons,
    events,
    ids: new Set(events.map((e) => e.eventId)),
    dataCenters: new Set([dataCenterId]),
    rentalStreams: new Set(),
    licences: new Set(),
    organisationStreams: new Set(),
  };
  for (const e of events) {
    const n = named(e);
    n.dataCenters.forEach((x) => c.dataCenters.add(x));
    n.licences.forEach((x) => c.licences.add(x));
    n.organisations.forEach((x) => c.organisationStreams.add(streamIds.organisation(x)));
    if (e.context === 'rental') c.rentalStreams.add(e.streamId);
  }
  return c;
};

/** Whether `asOfEvents` would select the event for the closure's data center, given the closure's keys. */
const selects = (c: CachedClosure, e: LedgerEntry): boolean => {
  const d = e.data as Record<string, unknown>;
  if (e.context === 'rental') return c.rentalStreams.has(e.streamId) || (e.type === 'RentalStarted' && str(d, 'providerDataCenterId') === c.dataCenterId);
  if (str(d, 'dataCenterId') === c.dataCenterId) return true;
  if (e.context !== 'procurement') return false;
  if (CATALOG.has(e.type) || c.organisationStreams.has(e.streamId)) return true;
  const licence = str(d, 'licenceId');
  if (licence !== null && c.licences.has(licence)) return true;
  return e.type === 'DataCenterRegistered' && c.dataCenters.has(str(d, 'dataCenterId') ?? '');
};

/** Whether the event names a data center, licence or organisation the closure has not read about: then it must be read again. */
const widens = (c: CachedClosure, e: LedgerEntry): boolean => {
  const n = named(e);
  return n.dataCenters.some((x) => !c.dataCenters.has(x)) || n.licences.some((x) => !c.licences.has(x)) || n.organisations.some((x) => !c.organisationStreams.has(streamIds.organisation(x)));
};

export interface AsOfCacheOptions {
  /** Events kept across all cached data centers (least recently used dropped first). Default 500,000. */
  readonly maxEvents?: number;
  /** More new events than this since a closure was read: read it again rather than scan them. Default 5,000. */
  readonly maxDelta?: number;
}

/**
 * The events of as-of questions about a data center, kept between questions. Stored events never change, so what
 * was read stays true; what can change is what was recorded since. Each closure remembers, per store, the commit
 * horizon it was read at (`relay_horizon()`: every transaction below it has committed, so no event can still appear
 * below it). The next question reads only the events at or above those horizons (the commit-order index makes that
 * cheap). Those `asOfEvents` would have selected (a fact recorded late about the data center, an amendment of one of
 * its licences, a catalog correction...) are added; one that names a data center, licence or organisation the
 * closure has not read about (a new licence cited, a new tenant) makes it read everything again. The answer is then
 * filtered by `knownAt` and `occurredAt` in memory (see `foldLedger`), exactly as the SQL would have: a fact recorded
 * late is in every answer whose `knownAt` is at or after its recording, and in none before.
 */
export class AsOfEventCache {
  private readonly closures = new Map<string, CachedClosure>();
  private readonly maxEvents: number;
  private readonly maxDelta: number;
  private held = 0;

  constructor(
    private readonly reader: LedgerReader,
    options: AsOfCacheOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? 500_000;
    this.maxDelta = options.maxDelta ?? 5_000;
  }

  /** Every event an as-of of the data center may fold (not yet filtered by the two instants). */
  async eventsFor(dataCenterId: string): Promise<readonly LedgerEntry[]> {
    const cached = this.closures.get(dataCenterId);
    if (cached !== undefined) {
      const horizons = await this.reader.horizons();
      const delta = await this.reader.since(cached.horizons, this.maxDelta);
      const added = delta?.filter((e) => !cached.ids.has(e.eventId) && selects(cached, e));
      if (added !== undefined && !added.some((e) => widens(cached, e))) {
        // New events of what the closure already covers (a fact recorded late among them): added, nothing re-read.
        for (const e of added) {
          cached.ids.add(e.eventId);
          if (e.context === 'rental') cached.rentalStreams.add(e.streamId);
        }
        if (added.length > 0) cached.events = [...cached.events, ...added];
        this.held += added.length;
        cached.horizons = horizons;
        // Most recently used last.
        this.closures.delete(dataCenterId);
        this.closures.set(dataCenterId, cached);
        return cached.events;
      }
      this.drop(dataCenterId);
    }
    const horizons = await this.reader.horizons();
    const events = await this.reader.asOfEvents(dataCenterId, ALL_OF_TIME);
    this.keep(closureOf(dataCenterId, horizons, events));
    return events;
  }

  private keep(closure: CachedClosure): void {
    if (closure.events.length > this.maxEvents) return;
    this.closures.set(closure.dataCenterId, closure);
    this.held += closure.events.length;
    for (const [id] of this.closures) {
      if (this.held <= this.maxEvents) break;
      this.drop(id);
    }
  }

  private drop(dataCenterId: string): void {
    const c = this.closures.get(dataCenterId);
    if (c === undefined) return;
    this.held -= c.events.length;
    this.closures.delete(dataCenterId);
  }
}
