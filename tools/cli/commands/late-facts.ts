import type { Command } from 'commander';
import { ApiClient, type ServiceOptions } from '../lib/api-client';
import { instant, nonNegative, positiveInt } from '../lib/arguments';
import { renderTable } from '../lib/table';

interface LateFactsOptions extends ServiceOptions {
  thresholdHours: number;
  since?: string;
  limit: number;
}

interface LateFact {
  event: { eventId: string; type: string; streamId: string; occurredAt: string; recordedAt: string };
  lateByHours: number;
  changedFindings: { ruleId: string; before: { severity: string } | null; after: { severity: string } | null }[];
}

export function registerLateFacts(program: Command): void {
  program
    .command('late-facts')
    .description('Facts recorded more than --threshold-hours after they occurred, newest recording first, with the findings each changed')
    .requiredOption('--threshold-hours <n>', 'hours between occurredAt and recordedAt', nonNegative)
    .option('--since <instant>', 'only facts recorded at or after this instant', instant)
    .option('--limit <n>', 'at most this many facts', positiveInt, 50)
    .action(async (options: LateFactsOptions) => {
      const api = new ApiClient(options, 'auditor');
      const items: LateFact[] = [];
      let cursor: string | undefined;
      while (items.length < options.limit) {
        const page = await api.get<{ items: LateFact[]; nextCursor: string | null }>('/audit/late-facts', {
          thresholdHours: options.thresholdHours,
          since: options.since,
          limit: Math.min(200, options.limit - items.length),
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
      const change = (c: LateFact['changedFindings'][number]) => `${c.ruleId} ${c.before?.severity ?? 'none'}→${c.after?.severity ?? 'none'}`;
      console.log(
        renderTable(
          ['recordedAt', 'occurredAt', 'late (h)', 'type', 'stream', 'changed findings'],
          items.map((l) => [l.event.recordedAt, l.event.occurredAt, l.lateByHours, l.event.type, l.event.streamId, l.changedFindings.map(change).join('; ')]),
        ),
      );
      console.log(`${items.length} late fact${items.length === 1 ? '' : 's'}`);
    });
}
