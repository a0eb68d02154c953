import type { ComponentChildren } from 'preact';
import type { LedgerEvent } from '../api/types';
import { Empty, ErrorState, Loading } from '../components/states';
import { formatDate } from '../format';
import { useApp } from '../state/app-state';
import { hrefOf } from '../state/route';
import { useResource } from '../state/use-resource';

/** The stream's history shown around the event: enough for any aggregate of the demo and most real ones. */
const HISTORY_LIMIT = 200;
const HOUR_MS = 3_600_000;

interface EventData {
  readonly event: LedgerEvent;
  /** The event's stream, oldest first; null when it could not be read (the event itself could). */
  readonly stream: readonly LedgerEvent[] | null;
  readonly streamTruncated: boolean;
}

const REFUSED =
  'This event is not in the ledger, or your organisation may not see it. Auditors read every event; viewers and operators read those of their own organisation’s data centers, orders and licences.';

/**
 * One event of the ledger as the auditors' API answers it (`GET /events/{id}`): its two instants, actor, hash chain and
 * data, and its stream's history with the event marked. Findings' evidence links here.
 */
export function EventPage({ eventId }: { eventId: string }) {
  const { api } = useApp();
  const { resource, reload } = useResource<EventData>(
    async (signal) => {
      const event = await api.getEvent(eventId, signal);
      const stream = await api.streamHistory(event.streamId, HISTORY_LIMIT, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return null;
      });
      return { event, stream: stream ? stream.items : null, streamTruncated: stream?.nextCursor != null };
    },
    [api, eventId],
  );
  const title = resource.status === 'ready' ? resource.data.event.type : 'Event';
  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <a href={hrefOf({ page: 'fleet' })}>Fleet</a> <span aria-hidden="true">›</span> <span>Audit history</span> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{title}</span>
      </nav>
      <div class="page-heading">
        <h1 tabIndex={-1}>{title}</h1>
        <p class="lede">
          Event <code>{eventId}</code>, as the ledger recorded it.
          {window.history.length > 1 && (
            <>
              {' '}
              <button type="button" class="button button-quiet" onClick={() => window.history.back()}>
                Back
              </button>
            </>
          )}
        </p>
      </div>
      {resource.status === 'loading' && <Loading what="the event" />}
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={reload} notFound={REFUSED} forbidden={REFUSED} />}
      {resource.status === 'ready' && <EventView data={resource.data} />}
    </>
  );
}

function EventView({ data }: { data: EventData }) {
  const { event } = data;
  const lateHours = (Date.parse(event.recordedAt) - Date.parse(event.occurredAt)) / HOUR_MS;
  const about = typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
  const dataCenterId = typeof about['dataCenterId'] === 'string' ? about['dataCenterId'] : null;
  return (
    <div data-event-id={event.eventId} data-testid="event">
      <section aria-labelledby="event-facts" class="panel">
        <h2 id="event-facts">The event</h2>
        <dl class="fact-grid event-facts">
          <Fact label="Type">
            {event.type} <span class="subtle">(schema v{event.schemaVersion})</span>
          </Fact>
          <Fact label="Occurred">{event.occurredAt}</Fact>
          <Fact label="Recorded">
            {event.recordedAt}
            {lateHours >= 24 && <span class="subtle block">{Math.floor(lateHours / 24)} days after it occurred</span>}
          </Fact>
          <Fact label="Actor">
            {event.actor.id} <span class="subtle">({event.actor.role}, {event.actor.organisation})</span>
          </Fact>
          <Fact label="Stream">
            <code>{event.streamId}</code> <span class="subtle">version {event.version}</span>
          </Fact>
          <Fact label="Store">
            {event.context} <span class="subtle">position {event.globalPosition}</span>
          </Fact>
          {dataCenterId && (
            <Fact label="Data center">
              <a href={hrefOf({ page: 'data-center', dataCenterId })}>{dataCenterId}</a>
            </Fact>
          )}
          <Fact label="Correlation">
            <code>{event.correlationId}</code>
          </Fact>
          {event.causationId && (
            <Fact label="Caused by">
              <a href={hrefOf({ page: 'event', eventId: event.causationId })}>
                <code>{event.causationId}</code>
              </a>
            </Fact>
          )}
        </dl>
        <dl class="hash-chain">
          <div>
            <dt>Hash</dt>
            <dd>
              <code>{event.hash}</code>
            </dd>
          </div>
          <div>
            <dt>Previous hash</dt>
            <dd>
              <code>{event.prevHash}</code>
            </dd>
          </div>
        </dl>
        <h3>Data</h3>
        <pre class="event-data" tabIndex={0} aria-label="The event's data, as JSON">
          {JSON.stringify(event.data, null, 2)}
        </pre>
      </section>
      <section aria-labelledby="event-stream" class="panel">
        <h2 id="event-stream">History of its stream</h2>
        {data.stream === null ? (
          <Empty title="The stream's history could not be read" />
        ) : (
          <StreamHistory events={data.stream} current={event.eventId} truncated={data.streamTruncated} />
        )}
      </section>
    </div>
  );
}

function StreamHistory({ events, current, truncated }: { events: readonly LedgerEvent[]; current: string; truncated: boolean }) {
  return (
    <div class="table-scroll">
      <table class="data-table stream-history">
        <caption class="visually-hidden">The stream's events, oldest first; the event shown above is marked</caption>
        <thead>
          <tr>
            <th scope="col" class="numeric">
              Version
            </th>
            <th scope="col">Event</th>
            <th scope="col">Occurred</th>
            <th scope="col">Recorded</th>
            <th scope="col">Actor</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.eventId} class={e.eventId === current ? 'current' : undefined} aria-current={e.eventId === current ? 'true' : undefined} data-event-id={e.eventId}>
              <td class="numeric">{e.version}</td>
              <th scope="row">{e.eventId === current ? <strong>{e.type} (this event)</strong> : <a href={hrefOf({ page: 'event', eventId: e.eventId })}>{e.type}</a>}</th>
              <td>{formatDate(e.occurredAt)}</td>
              <td>{formatDate(e.recordedAt)}</td>
              <td>{e.actor.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && <p class="table-note">The first {events.length} events of the stream.</p>}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
