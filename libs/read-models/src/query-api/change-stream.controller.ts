import { type BeforeApplicationShutdown, Controller, Inject, type MessageEvent, Req, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Operation, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import type { ProjectionChange } from '@chip-ledger/projection';
import { filter, interval, map, merge, Observable, ReplaySubject, takeUntil } from 'rxjs';
import { changeVisibleTo } from './change-visibility';
import { PROJECTION_CHANGES } from './tokens';

/** A comment-like event now and then, so proxies keep the connection open and a dead client shows. */
const HEARTBEAT_MS = 15_000;
/**
 * Changes a client may fall behind by while its connection does not drain. Nest's SSE writer waits for the
 * socket to drain and queues what comes meanwhile without limit: a client that stops reading without closing
 * would hold every later change in memory. Past this many, it gets a `resync` event and the stream ends; an
 * `EventSource` reconnects, and the client reloads what it shows.
 */
export const MAX_UNDRAINED_CHANGES = 1_000;

/** GET /events/stream: a subscription to committed changes, not a query of a read model (so no QueryBus). */
@ApiTags('read models')
@Controller('events')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class ChangeStreamController implements BeforeApplicationShutdown {
  /**
   * Fires once, as the app shuts down: open streams end, or the HTTP server would wait on them (for ever). A replay,
   * so a stream a client opens later (reconnecting while other shutdown hooks run) ends at once too.
   */
  private readonly closing = new ReplaySubject<void>(1);
  private shuttingDown = false;

  constructor(@Inject(PROJECTION_CHANGES) private readonly changes: Observable<ProjectionChange>) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.closing.next();
    this.closing.complete();
    // Let the ended responses flush: their connections are then idle, and the server's close ends them at once
    // instead of after the keep-alive timeout.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /**
   * Server-sent events: each ProjectionChange the caller may see, `event:` = its kind, `data:` = the change as JSON;
   * `heartbeat` every 15 s; `resync` (then the end of the stream) for a client too far behind.
   */
  @Sse('stream')
  @Operation({
    id: 'streamChanges',
    summary: 'Server-sent events: changes of findings, chip mixes, licences and rentals',
    description:
      'A text/event-stream of the changes the caller may see. Each event names its kind (`event:`, e.g. chip-mix.changed, licence.changed, rental.ended) and carries the change as JSON (`data:`: projection, kind, dataCenterId, organisationId, payload); a `heartbeat` comes every 15 s; a client too far behind gets `resync` and the stream ends (reconnect and reload).',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The stream of events (it stays open)', content: { 'text/event-stream': { schema: { type: 'string', example: 'event: licence.changed\ndata: {"projection":"licence-balances","kind":"licence.changed","dataCenterId":null,"organisationId":"gansu-cloud","payload":{"licenceId":"lic-d1234567"}}\n\n' } } } })
  stream(@CurrentActor() actor: Actor, @Req() request: StreamRequest): Observable<MessageEvent> {
    const changes = this.changes.pipe(
      filter((change) => changeVisibleTo(actor, change)),
      map((change): MessageEvent => ({ type: change.kind, data: change })),
    );
    const heartbeats = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} })));
    return new Observable<MessageEvent>((subscriber) => {
      let undrained = 0;
      const subscription = merge(changes, heartbeats).pipe(takeUntil(this.closing)).subscribe({
        next: (event) => {
          // Counted while the socket waits for a drain: roughly what the writer has queued behind it.
          undrained = request.socket.writableNeedDrain ? undrained + 1 : 0;
          if (undrained > MAX_UNDRAINED_CHANGES) {
            subscriber.next({ type: 'resync', data: { reason: `more than ${MAX_UNDRAINED_CHANGES} changes behind: reload and reconnect` } });
            subscriber.complete();
            subscription.unsubscribe();
            return;
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.complete();
          if (this.shuttingDown) closeConnectionOnceSent(request);
        },
      });
      return () => subscription.unsubscribe();
    });
  }
}

interface StreamRequest {
  readonly socket: { readonly writableNeedDrain?: boolean; end(): void };
  readonly res?: { readonly writableFinished: boolean; once(event: 'finish', listener: () => void): unknown };
}

/**
 * A stream ended by the shutdown leaves a keep-alive connection behind, and a client reconnecting over it at once
 * keeps it busy: the server's close would then wait until the keep-alive timeout. Close the connection once the
 * ended response is sent, so the client's next attempt finds the server closed.
 */
function closeConnectionOnceSent(request: StreamRequest): void {
  if (!request.res || request.res.writableFinished) request.socket.end();
  else request.res.once('finish', () => request.socket.end());
}
