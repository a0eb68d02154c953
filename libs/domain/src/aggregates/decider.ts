import type { DomainEvent, EventEnvelope } from '../events/envelope';
import type { Recorded } from '../events/recorded';
import type { CountryCode, Instant } from '../shared/values';

/**
 * An aggregate as a decider (Emmett style): three pure functions, no I/O, no clock, no random ids.
 *
 * The application layer's command handler is a thin shell around it:
 * 1. load the stream's envelopes (upcast to the current schema, see ../events/upcasting.ts) and fold them
 *    with `evolve`, starting from `initialState()`;
 * 2. gather the facts other aggregates own that the invariants need and put them in the command's `context`;
 * 3. call `decide(command, state)`; append the returned events with the stream's expected version, each in an
 *    envelope whose `occurredAt` is the command's `occurredAt` (events carry only their data).
 *
 * ## Refusals
 * `decide` **throws** a `DomainError` (../shared/domain-error.ts) when an invariant refuses the command, and
 * otherwise returns the events to append (possibly none). Throwing keeps the happy path a plain `Event[]`
 * and guarantees nothing is appended for a refused command. Errors carry a stable `code`, a `kind` the
 * adapters map to a status, the offending command `field` and optional `details`.
 *
 * ## Commands
 * Commands are readonly discriminated unions with an imperative `type` (`InstallChips`), flat fields named
 * like the event data they produce, and:
 * - `occurredAt`: when the fact happened in the world (ISO-8601). The domain never reads a clock, so
 *   the command brings it; `recordedAt` is the store's business.
 * - `context`: facts owned by **other** aggregates that an invariant needs (the data center's registration
 *   instant and country, whether a chip model is in the catalog, what a purchase order ordered, how many
 *   chips are installed at a rental's provider...). The application layer fills it by loading those
 *   aggregates (helpers such as `dataCenterFacts(state)` build it from their states). A decider trusts the
 *   context as it trusts its own state: the application must read it in the same unit of work. `null`
 *   means "that aggregate does not exist", and the decider answers with the matching `*.NOT_FOUND`.
 *
 * Ids (event ids, delivery ids, transfer ids) come in the command too; the domain never generates them.
 */
export interface Decider<Command extends { readonly type: string }, Event extends DomainEvent, State> {
  /** State of a stream with no events. */
  readonly initialState: () => State;
  /** Applies one recorded event. Must not throw for any event `decide` could have produced. */
  readonly evolve: (state: State, event: Recorded<Event>) => State;
  /** Events to append for the command, or a thrown DomainError. */
  readonly decide: (command: Command, state: State) => Event[];
}

/** Folds a stream's recorded events into state: how every command handler and test loads an aggregate. */
export const foldEvents = <State, TRecorded extends EventEnvelope>(
  decider: { readonly initialState: () => State; readonly evolve: (state: State, event: TRecorded) => State },
  events: readonly NoInfer<TRecorded>[],
): State => events.reduce(decider.evolve, decider.initialState());

/**
 * What other aggregates need to know about a data center: when it was registered (no fact about it may be
 * dated earlier) and its country (transfers record both ends' countries). Build it with `dataCenterFacts`.
 */
export interface DataCenterFacts {
  readonly dataCenterId: string;
  readonly registeredAt: Instant;
  /** The registration's event id, so a fact dated before it can name what it conflicts with. */
  readonly registeredEventId?: string;
  readonly country: CountryCode;
  readonly ownerOrganisationId: string;
}
