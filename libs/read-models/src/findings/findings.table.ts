import { qualified } from '../shared/sql';

export const FINDINGS_TABLES = {
  findings: 'findings',
  journal: 'findings_journal',
  journalBatches: 'findings_journal_batches',
  evaluations: 'findings_evaluations',
  meta: 'findings_meta',
} as const;

export const findingsTables = (schema: string) => ({
  findings: qualified(schema, FINDINGS_TABLES.findings),
  journal: qualified(schema, FINDINGS_TABLES.journal),
  journalBatches: qualified(schema, FINDINGS_TABLES.journalBatches),
  evaluations: qualified(schema, FINDINGS_TABLES.evaluations),
  meta: qualified(schema, FINDINGS_TABLES.meta),
});
