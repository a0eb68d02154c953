import type { Command } from 'commander';
import { ApiClient, type ServiceOptions } from '../lib/api-client';
import { collect, instant, positiveInt } from '../lib/arguments';
import { UsageError } from '../lib/errors';
import { renderTable } from '../lib/table';

interface Envelope {
  eventId: string;
  type: string;
  streamId: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; role: string };
}

interface HistoryOptions extends ServiceOptions {
  dataCenter?: string;
  stream?: string;
  org?: string;
  licence?: string;
  type?: string[];
  actor?: string;
  from?: string;
  to?: string;
  recordedFrom?: string;
  recordedTo?: string;
  limit: number;
  oldest?: boolean;
}

const PAGE = 1000;

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description("A history in the ledger's order: a data center, a stream, an organisation, a licence, or the whole ledger")
    .option('--data-center <id>', 'everything that touched this data center')
    .option('--stream <id>', 'one stream')
    .option('--org <id>', 'everything that touched this organisation')
    .option('--licence <id>', "a licence's events and every use of it")
    .option('--type <types>', 'only these event types (repeat or comma-separate)', collect)
    .option('--actor <id>', 'only events recorded by this actor')
    .option('--from <instant>', 'occurredAt at or after', instant)
    .option('--to <instant>', 'occurredAt at or before', instant)
    .option('--recorded-from <instant>', 'recordedAt at or after', instant)
    .option('--recorded-to <instant>', 'recordedAt at or before', instant)
    .option('--limit <n>', 'at most this many events', positiveInt, 100)
    .option('--oldest', 'oldest first (default: newest first)')
    .action(async (options: HistoryOptions) => {
      const scopes = [options.dataCenter && `/audit/data-centers/${encodeURIComponent(options.dataCenter)}/history`, options.stream && `/audit/streams/${encodeURIComponent(options.stream)}/history`, options.org && `/audit/organisations/${encodeURIComponent(options.org)}/history`, options.licence && `/audit/licences/${encodeURIComponent(options.licence)}/history`].filter(Boolean) as string[];
      if (scopes.length > 1) throw new UsageError('give at most one of --data-center, --stream, --org, --licence');
      const path = scopes[0] ?? '/audit/history';
      const api = new ApiClient(options, 'auditor');
      const items: Envelope[] = [];
      let cursor: string | undefined;
      while (items.length < options.limit) {
        const page = await api.get<{ items: Envelope[]; nextCursor: string | null }>(path, {
          order: options.oldest ? 'oldest' : 'newest',
          limit: Math.min(PAGE, options.limit - items.length),
          type: options.type,
          actor: options.actor,
          occurredFrom: options.from,
          occurredTo: options.to,
          recordedFrom: options.recordedFrom,
          recordedTo: options.recordedTo,
          cursor,
        });
        items.push(...page.items);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      if (options.json) {
        console.log(JSON.stringify(items, null, 2));
        return;
      }
      console.log(
        renderTable(
          ['recordedAt', 'occurredAt', 'type', 'stream', 'actor', 'eventId'],
          items.map((e) => [e.recordedAt, e.occurredAt, e.type, e.streamId, `${e.actor.id} (${e.actor.role})`, e.eventId]),
        ),
      );
      console.log(`${items.length} event${items.length === 1 ? '' : 's'}`);
    });
}
