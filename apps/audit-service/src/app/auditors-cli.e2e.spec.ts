import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { readLedgerFromKafka } from '@chip-ledger/audit-read';
import { createKafkaClient, ledgerTopic } from '@chip-ledger/messaging';
import { Partitioners } from 'kafkajs';
import { bearer, createTestDatabase, startServiceProcess, uniqueTopicName, type ServiceProcess, type TestDatabase } from '@chip-ledger/testing';

/*
 * The distributed form, as auditors use it: procurement-service, rental-service and audit-service each in its own
 * process on one database, relaying to Kafka under topics of their own. The auditors' CLI reads through
 * audit-service's API and, for `replay --kafka`, the topics themselves; both replays must agree.
 */
const run = promisify(execFile);
const root = path.resolve(__dirname, '../../../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('auditors’ CLI against the distributed services', () => {
  let database: TestDatabase;
  let procurement: ServiceProcess;
  let rental: ServiceProcess;
  let audit: ServiceProcess;
  let topicPrefix: string;
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'sg-cloud');
  const auditor = bearer('auditor', 'audit-firm');
  const cli = async (...args: string[]): Promise<CliResult> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(root, 'tools/scripts/ts-run.mjs'), 'tools/cli/main.ts', ...args], {
        cwd: root,
        env: { ...process.env, CHIP_LEDGER_URL: audit.baseUrl, CHIP_LEDGER_TOKEN: auditor.replace(/^Bearer /, '') },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const post = async (service: ServiceProcess, path: string, token: string, body: object): Promise<void> => {
    const res = await fetch(`${service.baseUrl}${path}`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  };

  beforeAll(async () => {
    database = await createTestDatabase('auditors_cli');
    topicPrefix = uniqueTopicName('ledger');
    const env = { DATABASE_URL: database.url, KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: topicPrefix };
    [procurement, rental] = await Promise.all([startServiceProcess('apps/procurement-service/src/main.ts', env), startServiceProcess('apps/rental-service/src/main.ts', env)]);
    audit = await startServiceProcess('apps/audit-service/src/main.ts', env);

    await post(procurement, '/organisations', admin, { organisationId: 'sg-cloud', name: 'SG Cloud', headquartersCountry: 'SG', ultimateParentHeadquartersCountry: 'SG', occurredAt: '2024-01-01' });
    await post(procurement, '/organisations', admin, { organisationId: 'cn-lab', name: 'CN Lab', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2024-01-01' });
    await post(procurement, '/data-centers', operator, { dataCenterId: 'dc-sg-1', name: 'SG 1', ownerOrganisationId: 'sg-cloud', country: 'SG', region: 'Jurong', occurredAt: '2024-02-01' });
    await post(procurement, '/purchase-orders', operator, { purchaseOrderId: 'po-sg', buyerOrganisationId: 'sg-cloud', dataCenterId: 'dc-sg-1', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h100-sxm', quantity: 1024 }], occurredAt: '2024-03-01' });
    await post(procurement, '/data-centers/dc-sg-1/deliveries', operator, { deliveryId: 'del-sg', modelId: 'nvidia-h100-sxm', quantity: 1024, purchaseOrderId: 'po-sg', shippedFromCountry: 'US', occurredAt: '2024-04-01' });
    await post(procurement, '/data-centers/dc-sg-1/installations', operator, { modelId: 'nvidia-h100-sxm', quantity: 1024, occurredAt: '2024-04-02' });
    await post(rental, '/rentals', operator, { rentalId: 'r-cn', providerDataCenterId: 'dc-sg-1', tenantOrganisationId: 'cn-lab', modelId: 'nvidia-h100-sxm', chipCount: 512, purpose: 'training', periodStart: '2025-06-01', periodEnd: '2030-01-01', occurredAt: '2025-05-20' });
    await post(audit, '/data-centers/dc-sg-1/audit-notes', auditor, { note: 'IaaS training for a CN tenant: red flag reviewed.', occurredAt: '2025-07-01' });
    // A message that is not an event (no event-id header) on a topic: a replay skips it, as it skips the relays' watermark markers.
    const producer = createKafkaClient({ brokers, clientId: 'auditors-cli-test' }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: ledgerTopic('audit', topicPrefix), messages: [{ key: 'marker', value: JSON.stringify({ marker: true }) }] });
    await producer.disconnect();
  }, 240_000);

  afterAll(async () => {
    await Promise.all([procurement?.stop(), rental?.stop(), audit?.stop()]);
    await database?.drop();
  });

  it('replays the whole history from the API and from Kafka to the same summary, with a progress bar, exit 0', async () => {
    const total = (await (await fetch(`${audit.baseUrl}/audit/counts`, { headers: { authorization: auditor } })).json()) as { events: number; byStore: Record<string, number> };
    expect(Object.keys(total.byStore).sort()).toEqual(['audit', 'procurement', 'rental']);
    // The relays publish shortly after each write: wait until Kafka holds every event.
    const deadline = Date.now() + 60_000;
    let inKafka = 0;
    while ((inKafka = new Set((await readLedgerFromKafka({ brokers, topicPrefix })).entries.map((e) => e.eventId)).size) < total.events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    if (inKafka < total.events) {
      // Say which relay is behind, and why (its health probe carries its state and last error).
      const health = await Promise.all([procurement, rental, audit].map(async (s) => (await fetch(`${s.baseUrl}/health`)).text()));
      throw new Error(`Kafka holds ${inKafka} of ${total.events} events after 60 s; the services' health:\n${health.join('\n')}`);
    }

    const overHttp = await cli('replay', '--json');
    expect(overHttp.code).toBe(0);
    expect(overHttp.stderr).toMatch(/replay \[.*\] 100% \| \d+\/\d+ events \| [\d,]+ ev\/s/);
    const fromKafka = await cli('replay', '--kafka', brokers.join(','), '--topic-prefix', topicPrefix, '--json');
    expect(fromKafka.code).toBe(0);
    const http = JSON.parse(overHttp.stdout);
    const kafka = JSON.parse(fromKafka.stdout);
    expect(http).toEqual(expect.objectContaining({ events: total.events, complete: true, dataCenters: 1, source: 'http' }));
    expect(kafka).toEqual(expect.objectContaining({ events: total.events, complete: true, source: 'kafka' }));
    expect(kafka.skippedMarkers).toBeGreaterThanOrEqual(1);
    for (const key of ['events', 'streams', 'dataCenters', 'findingsByRule']) expect({ key, value: kafka[key] }).toEqual({ key, value: http[key] });
    expect(http.findingsByRule['US-IAAS-TRAINING']).toEqual({ risk: 1 });

    const readable = await cli('replay');
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(/replayed \d+ events from http .* events\/s\): \d+ streams, 1 data centers/);
    expect(readable.stdout).toContain('US-IAAS-TRAINING');
  }, 240_000);

  it('history, as-of and late-facts: tables by default, JSON with --json, across the three contexts', async () => {
    const history = await cli('history', '--data-center', 'dc-sg-1', '--oldest', '--json');
    expect(history.code).toBe(0);
    const events = JSON.parse(history.stdout) as { type: string; context: string }[];
    expect(events.map((e) => e.type)).toEqual(['DataCenterRegistered', 'PurchaseOrderPlaced', 'ChipsDelivered', 'ChipsInstalled', 'RentalStarted', 'AuditNoteRecorded']);
    expect(new Set(events.map((e) => e.context))).toEqual(new Set(['procurement', 'rental', 'audit']));
    const table = await cli('history', '--org', 'sg-cloud', '--type', 'ChipsDelivered,ChipsInstalled');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/recordedAt\s+occurredAt\s+type/);
    expect(table.stdout).toContain('2 events');

    const asOf = await cli('as-of', '--data-center', 'dc-sg-1', '--at', '2025-07-01', '--json');
    expect(asOf.code).toBe(0);
    expect(JSON.parse(asOf.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('US-IAAS-TRAINING');
    const before = await cli('as-of', '--data-center', 'dc-sg-1', '--at', '2025-05-12T23:59:59.999Z');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('no findings');
    const fleet = await cli('as-of', '--fleet', '--at', '2025-07-01');
    expect(fleet.code).toBe(0);
    expect(fleet.stdout).toContain('dc-sg-1');

    const late = await cli('late-facts', '--threshold-hours', '24', '--json');
    expect(late.code).toBe(0);
    // Every fact above was dated in the past: each was recorded late.
    expect((JSON.parse(late.stdout) as unknown[]).length).toBeGreaterThanOrEqual(events.length);
  }, 120_000);

  it('--help exits 0 on every command; a bad command line is one line and exit 2; a refusal exit 1 with its detail', async () => {
    // Eleven CLI processes: run side by side (each spends seconds starting on a busy machine).
    const commands = ['token', 'rebuild', 'history', 'as-of', 'late-facts', 'replay'];
    const bads = [['as-of', '--at', 'yesterday', '--fleet'], ['history', '--limit', '0'], ['late-facts'], ['nope']];
    const [helps, badRuns, refused] = await Promise.all([
      Promise.all(commands.map((command) => cli(command, '--help'))),
      Promise.all(bads.map((args) => cli(...args))),
      cli('as-of', '--data-center', 'dc-nowhere', '--at', '2025-01-01'),
    ]);
    commands.forEach((command, i) => {
      expect({ command, code: helps[i].code }).toEqual({ command, code: 0 });
      if (command !== 'token') expect(helps[i].stdout).toContain('--json');
    });
    bads.forEach((args, i) => {
      expect({ args, code: badRuns[i].code, lines: badRuns[i].stderr.trim().split('\n').length }).toEqual({ args, code: 2, lines: 1 });
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Data center dc-nowhere does not exist');
  }, 240_000);
});
