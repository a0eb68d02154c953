import type { Command } from 'commander';
import { ApiClient, type ServiceOptions } from '../lib/api-client';
import { instant } from '../lib/arguments';
import { UsageError } from '../lib/errors';
import { renderTable } from '../lib/table';

interface AsOfOptions extends ServiceOptions {
  dataCenter?: string;
  fleet?: boolean;
  at: string;
  knownAt?: string;
}

interface Finding {
  ruleId: string;
  severity: string;
  modelId: string | null;
  count: number;
  message: string;
  evidence: { eventId: string }[];
}
interface Rule {
  ruleId: string;
  certainty: string;
  inForce: { from: string | null; to: string | null };
}

const period = (r: Rule): string => `${r.inForce.from?.slice(0, 10) ?? 'always'}${r.inForce.to ? ` to ${r.inForce.to.slice(0, 10)}` : ''}`;

export function registerAsOf(program: Command): void {
  program
    .command('as-of')
    .description('A data center (or the fleet) as the world was at --at, according to what the ledger had recorded by --known-at')
    .option('--data-center <id>', 'the data center')
    .option('--fleet', 'the whole fleet instead')
    .requiredOption('--at <instant>', 'the instant in the world (occurredAt)', instant)
    .option('--known-at <instant>', 'what the ledger had recorded by then (default now)', instant)
    .action(async (options: AsOfOptions) => {
      if (Boolean(options.dataCenter) === Boolean(options.fleet)) throw new UsageError('give either --data-center <id> or --fleet');
      const api = new ApiClient(options, 'auditor');
      const query = { occurredAt: options.at, knownAt: options.knownAt };
      if (options.fleet) {
        const pages: { items: Record<string, unknown>[]; totals: unknown; rulesInForce: Rule[] }[] = [];
        let cursor: string | undefined;
        do {
          const page = await api.get<{ items: Record<string, unknown>[]; totals: unknown; rulesInForce: Rule[]; nextCursor: string | null }>('/audit/fleet/as-of', { ...query, limit: 1000, cursor });
          pages.push(page);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const items = pages.flatMap((p) => p.items) as { dataCenterId: string; dataCenter: { country: string; ownerOrganisationId: string }; totals: { installed: number; inStock: number; onOrder: number; rentedOut: number }; openFindings: { total: number; bySeverity: Record<string, number> } }[];
        if (options.json) {
          console.log(JSON.stringify({ ...pages[0], items, nextCursor: null }, null, 2));
          return;
        }
        console.log(
          renderTable(
            ['data center', 'owner', 'country', 'installed', 'in stock', 'on order', 'rented out', 'open findings'],
            items.map((d) => [d.dataCenterId, d.dataCenter.ownerOrganisationId, d.dataCenter.country, d.totals.installed, d.totals.inStock, d.totals.onOrder, d.totals.rentedOut, `${d.openFindings.total} ${JSON.stringify(d.openFindings.bySeverity)}`]),
          ),
        );
        console.log(`\ntotals: ${JSON.stringify(pages[0].totals)}`);
        return;
      }
      const answer = await api.get<{
        dataCenterId: string;
        occurredAt: string;
        knownAt: string;
        chipMix: { modelId: string; vendor: string | null; origin: string; eccnClass: string | null; installed: number; inStock: number; onOrder: number; rentedOut: number }[];
        findings: Finding[];
        rulesInForce: Rule[];
        eventsFolded: number;
      }>(`/audit/data-centers/${encodeURIComponent(options.dataCenter as string)}/as-of`, query);
      if (options.json) {
        console.log(JSON.stringify(answer, null, 2));
        return;
      }
      console.log(`${answer.dataCenterId} at ${answer.occurredAt}, as the ledger knew it at ${answer.knownAt} (${answer.eventsFolded} events folded)\n`);
      console.log(renderTable(['model', 'vendor', 'origin', 'class', 'installed', 'in stock', 'on order', 'rented out'], answer.chipMix.map((l) => [l.modelId, l.vendor, l.origin, l.eccnClass, l.installed, l.inStock, l.onOrder, l.rentedOut])));
      console.log('');
      console.log(answer.findings.length === 0 ? 'no findings' : renderTable(['rule', 'severity', 'model', 'count', 'evidence'], answer.findings.map((f) => [f.ruleId, f.severity, f.modelId, f.count, f.evidence.map((e) => e.eventId).join(' ')])));
      console.log('');
      console.log(renderTable(['rule in force', 'certainty', 'period'], answer.rulesInForce.map((r) => [r.ruleId, r.certainty, period(r)])));
    });
}
