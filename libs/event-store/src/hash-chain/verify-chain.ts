import type { ChainBreak, StoredEvent, StreamVerification } from '../port/event-store.port';
import { eventHash, GENESIS_HASH } from './event-hash';

/**
 * Recomputes one stream's chain from its rows in version order and names the first event where it breaks.
 * Pure, so the audit service can run it on events read from Kafka or an export as well as from the store.
 */
export function verifyStreamChain(streamId: string, events: readonly StoredEvent[]): StreamVerification {
  const byHash = new Map(events.map((event) => [event.hash, event]));
  const head = events[events.length - 1];
  const summary = { streamId, headVersion: head?.version ?? 0, headHash: head?.hash ?? null };
  for (let i = 0; i < events.length; i++) {
    const found = checkEvent(streamId, events[i], events[i - 1] ?? null, byHash);
    if (found) return { ...summary, ok: false, eventsChecked: i + 1, break: found };
  }
  return { ...summary, ok: true, eventsChecked: events.length, break: null };
}

function checkEvent(streamId: string, event: StoredEvent, previous: StoredEvent | null, byHash: Map<string, StoredEvent>): ChainBreak | null {
  const at = (kind: ChainBreak['kind'], message: string): ChainBreak => ({
    kind,
    streamId,
    eventId: event.eventId,
    version: event.version,
    globalPosition: event.globalPosition,
    message: `Stream ${streamId}, event ${event.eventId} (version ${event.version}, position ${event.globalPosition}): ${message}`,
  });
  const expectedVersion = (previous?.version ?? 0) + 1;
  if (event.version !== expectedVersion) {
    const missing = event.version - 1 === expectedVersion ? `version ${expectedVersion} is` : `versions ${expectedVersion}-${event.version - 1} are`;
    return at('version-gap', `${missing} missing before it (deleted)`);
  }
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (event.prevHash !== expectedPrev) {
    // Which event it claims to follow tells a swap apart from a rewritten predecessor.
    const claimed = event.prevHash === GENESIS_HASH ? 'the start of the stream' : byHash.get(event.prevHash);
    if (claimed) {
      const what = typeof claimed === 'string' ? claimed : `event ${claimed.eventId}, now at version ${claimed.version}`;
      return at('reordered', `it was chained after ${what}, not after the event now before it (events were reordered)`);
    }
    return at('prev-hash-mismatch', `its prevHash matches no event of the stream: the event before it (version ${previous?.version ?? 0}) was rewritten, hash included`);
  }
  if (previous && event.globalPosition <= previous.globalPosition) {
    return at('reordered', `its global position is not after that of version ${previous.version} (position ${previous.globalPosition}): the log order was changed`);
  }
  const recomputed = eventHash(event.prevHash, event);
  if (recomputed !== event.hash) {
    return at('hash-mismatch', `its content does not match its hash (stored ${event.hash.slice(0, 12)}…, recomputed ${recomputed.slice(0, 12)}…): it was edited`);
  }
  return null;
}
