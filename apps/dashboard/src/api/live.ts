import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { LiveChange } from './types';

/** The stream's state, as the page shows it. */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'unauthorised';

export interface LiveStreamOptions {
  readonly token: string;
  readonly baseUrl?: string;
  /** A change the read models made (a finding opened or closed, a chip mix changed...). */
  readonly onChange: (change: LiveChange) => void;
  /** Reload everything: the stream (re)opened, or the server said this client fell behind (`resync`). */
  readonly onResync: () => void;
  readonly onConnection: (state: LiveConnection) => void;
}

/** Waits between reconnection attempts: quick at first, then every 10 s while the API stays away. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

/**
 * Follows `GET /events/stream`. EventSource cannot send an Authorization header, so this reads the stream with fetch
 * and parses it with eventsource-parser. It reconnects on its own after a network loss or a server restart (and asks
 * for a reload then: changes made while away were not seen); a refused token ends it. Returns the function that
 * closes it.
 */
export function followLiveChanges(options: LiveStreamOptions): () => void {
  const stop = new AbortController();
  let attempt = 0;

  const connectOnce = async (): Promise<'retry' | 'stop'> => {
    const response = await fetch(`${options.baseUrl ?? ''}/events/stream`, {
      headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
      signal: stop.signal,
      cache: 'no-store',
    });
    if (response.status === 401) {
      options.onConnection('unauthorised');
      return 'stop';
    }
    if (!response.ok || !response.body) return 'retry';
    attempt = 0;
    options.onConnection('live');
    // What changed before the stream was open (the page's first load raced it, or the stream was down) was not
    // streamed to us: reload once now.
    options.onResync();
    let resync = false;
    const parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        if (message.event === 'heartbeat') return;
        if (message.event === 'resync') {
          resync = true;
          return;
        }
        try {
          options.onChange(JSON.parse(message.data) as LiveChange);
        } catch {
          // A change we cannot read still means something changed.
          options.onResync();
        }
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
    if (resync) options.onResync();
    return 'retry';
  };

  void (async () => {
    options.onConnection('connecting');
    while (!stop.signal.aborted) {
      let outcome: 'retry' | 'stop';
      try {
        outcome = await connectOnce();
      } catch {
        outcome = 'retry';
      }
      if (outcome === 'stop' || stop.signal.aborted) return;
      options.onConnection('reconnecting');
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      attempt += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  })();

  return () => stop.abort();
}
