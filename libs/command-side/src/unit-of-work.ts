import { EVENT_SCHEMA_VERSIONS, type Actor, type DomainEvent, type Instant } from '@chip-ledger/domain';
import type { AppendRequest, EventStore, NewEvent } from '@chip-ledger/event-store';
import { StreamStateCache, type Folder } from './stream-state-cache';

/** Who, when and why for every event one command writes. */
export interface CommandMetadata {
  readonly actor: Actor;
  readonly occurredAt: Instant;
  readonly correlationId: string;
  readonly causationId: string | null;
}

/**
 * Refusal of a stale expected version (the client's If-Match, or a concurrent writer). Named like the
 * event store's error so the HTTP layer maps both to 409 in one place.
 */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`Stream ${streamId} is at version ${currentVersion}, not the expected ${expectedVersion}.`);
  }
}

/**
 * One command's view of the store: the streams it loaded (at which version) and the events it decided.
 * Everything is appended at once, with each written stream's loaded version as the expected version, so
 * a concurrent change to a stream the command writes is refused (409), never merged. Streams read only for
 * context (a data center's registration date, a purchase order's lines) are not locked: the facts taken
 * from them do not change once recorded.
 */
export class UnitOfWork {
  private readonly versions = new Map<string, number>();
  private readonly decided = new Map<string, DomainEvent[]>();

  constructor(
    private readonly store: EventStore,
    readonly metadata: CommandMetadata,
    private readonly newId: () => string,
    /** Versions the client said it decided on (If-Match), by stream id. */
    private readonly expectations: ReadonlyMap<string, number> = new Map(),
    private readonly cache: StreamStateCache = new StreamStateCache(),
  ) {}

  /** Read a stream, bring old event versions up to date, and fold it into the aggregate's state. */
  async load<S, Env>(decider: Folder<S, Env>, streamId: string): Promise<S> {
    const { state, version } = await this.cache.load(this.store, decider, streamId);
    const expected = this.expectations.get(streamId);
    if (expected !== undefined && expected !== version) throw new WrongExpectedVersionError(streamId, expected, version);
    this.versions.set(streamId, version);
    return state;
  }

  /**
   * Read-only context from another bounded context's store (a rental needs the provider data center's
   * installed chips). Never written by this unit of work, so not version-checked.
   */
  async loadForeign<S, Env>(store: EventStore, decider: Folder<S, Env>, streamId: string): Promise<S> {
    return (await this.cache.load(store, decider, streamId)).state;
  }

  /** Queue decided events for a stream this unit of work loaded. */
  record(streamId: string, events: readonly DomainEvent[]): void {
    if (!this.versions.has(streamId)) throw new Error(`Stream ${streamId} must be loaded before events are recorded on it`);
    this.decided.set(streamId, [...(this.decided.get(streamId) ?? []), ...events]);
  }

  /** The atomic write this command amounts to. */
  writes(): AppendRequest[] {
    return [...this.decided.entries()]
      .filter(([, events]) => events.length > 0)
      .map(([streamId, events]) => ({
        streamId,
        expectedVersion: this.versions.get(streamId) ?? 0,
        events: events.map((event) => this.envelope(event)),
      }));
  }

  private envelope(event: DomainEvent): NewEvent {
    return {
      eventId: this.newId(),
      type: event.type,
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type as keyof typeof EVENT_SCHEMA_VERSIONS] ?? 1,
      occurredAt: this.metadata.occurredAt,
      actor: this.metadata.actor,
      correlationId: this.metadata.correlationId,
      causationId: this.metadata.causationId,
      data: event.data,
    };
  }
}
