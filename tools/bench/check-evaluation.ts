/**
 * Incremental vs full compliance evaluation on the projector bench's workload (`ledgerMix`):
 * `node tools/scripts/ts-run.mjs tools/bench/check-evaluation.ts [events=100000] [batch=5000] [mode=check|full|cache]`.
 * Folds the ledger in batches and, after each, evaluates every data center the batch touched as the findings
 * projection does. `check` compares each evaluation with an `EvaluationCache` to one without (and at an earlier
 * instant, as a tick would) and exits 1 on any difference; `full` and `cache` only time one or the other.
 */
import { performance } from 'node:perf_hooks';
import { evaluate, EvaluationCache, evolveComplianceState, initialComplianceState, RULEBOOK_V1, type LedgerEnvelope } from '@chip-ledger/compliance';
import { ledgerMix } from './phases/projector-events';

const events = Number(process.argv[2] ?? 100_000);
const batchSize = Number(process.argv[3] ?? 5_000);
const mode = process.argv[4] ?? 'check';
if (!['check', 'full', 'cache'].includes(mode)) throw new Error(`mode: check, full or cache, not ${mode}`);
const NOW = '2026-12-01T00:00:00.000Z';
const EARLIER = '2025-06-01T00:00:00.000Z';

let state = initialComplianceState();
const cache = new EvaluationCache();
let batch: LedgerEnvelope[] = [];
let foldMs = 0;
let evaluateMs = 0;
let evaluations = 0;
let findings = 0;
let differences = 0;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const flush = (): void => {
  const t0 = performance.now();
  const touched = new Set<string>();
  for (const e of batch) {
    state = evolveComplianceState(state, e);
    const dataCenterId = (e.data as { dataCenterId?: unknown }).dataCenterId;
    if (typeof dataCenterId === 'string') touched.add(dataCenterId);
  }
  const t1 = performance.now();
  for (const dataCenterId of touched) {
    const found = evaluate(state, RULEBOOK_V1, NOW, mode === 'full' ? { dataCenterId } : { dataCenterId, cache });
    evaluations += 1;
    findings += found.length;
    if (mode !== 'check') continue;
    if (!same(found, evaluate(state, RULEBOOK_V1, NOW, { dataCenterId }))) differences += 1;
    if (!same(evaluate(state, RULEBOOK_V1, EARLIER, { dataCenterId, cache }), evaluate(state, RULEBOOK_V1, EARLIER, { dataCenterId }))) differences += 1;
  }
  foldMs += t1 - t0;
  evaluateMs += performance.now() - t1;
  batch = [];
};

for (const { event } of ledgerMix(events, { tag: 'check' })) {
  batch.push(event as unknown as LedgerEnvelope);
  if (batch.length >= batchSize) flush();
}
flush();
console.log(JSON.stringify({ events, batchSize, mode, evaluations, findings, differences, foldMs: Math.round(foldMs), evaluateMs: Math.round(evaluateMs) }));
process.exit(differences === 0 ? 0 : 1);
