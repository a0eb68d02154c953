import { upcastEvent } from '@chip-ledger/domain';
import type { EventStore } from '@chip-ledger/event-store';

/** What loading needs of a decider: its initial state and its evolve (over the envelopes of its own stream). */
export interface Folder<S, Env> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: Env) => S;
}

interface Entry {
  readonly folder: Folder<unknown, unknown>;
  readonly version: number;
  readonly state: unknown;
}

const MAX_STREAMS_PER_STORE = 20_000;

/**
 * Folded states of recently used streams, per store. Streams are append-only, so a cached state at version
 * n plus the events after n is the current state: each command reads only what it has not seen yet instead
 * of the whole stream. Safe with several instances and concurrent writers: a stale entry only means reading
 * a few more events, and the append's expected-version check still refuses a decision on an old version.
 * States are immutable values (deciders never mutate them), so sharing one between commands is safe.
 */
export class StreamStateCache {
  private readonly stores = new WeakMap<EventStore, Map<string, Entry>>();

  async load<S, Env>(store: EventStore, folder: Folder<S, Env>, streamId: string): Promise<{ state: S; version: number }> {
    let streams = this.stores.get(store);
    if (!streams) this.stores.set(store, (streams = new Map()));
    const cached = streams.get(streamId);
    const usable = cached && cached.folder === folder ? cached : null;
    const envelopes = await store.readStream(streamId, usable ? { fromVersion: usable.version + 1 } : {});
    let state = (usable ? usable.state : folder.initialState()) as S;
    // A stream only ever holds its own aggregate's events, so each upcast envelope fits the decider's evolve.
    for (const envelope of envelopes) state = folder.evolve(state, upcastEvent(envelope) as Env);
    const version = envelopes.length ? envelopes[envelopes.length - 1].version : (usable?.version ?? 0);
    // Re-insert so the Map's order is least recently used first.
    streams.delete(streamId);
    streams.set(streamId, { folder: folder as Folder<unknown, unknown>, version, state });
    if (streams.size > MAX_STREAMS_PER_STORE) streams.delete(streams.keys().next().value as string);
    return { state, version };
  }
}
