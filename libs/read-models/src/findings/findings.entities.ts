import { instantColumn, numberColumn } from '@chip-ledger/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FindingRow } from './findings.evolve';

/**
 * `findings`: one row per interval during which a finding was open with one severity (history: closed rows stay).
 * Tables of a generation's schema name no schema: the engine's transactions and the query handlers' reads point the
 * search path at the generation they use (ADR 0024). Its indexes are in the migrations.
 */
@Entity({ name: 'findings' })
export class FindingRecord implements FindingRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'finding_id' }) findingId!: string;
  @Column('text', { name: 'rule_id' }) ruleId!: string;
  @Column('text') severity!: string;
  @Column('text') certainty!: string;
  @Column('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('text', { name: 'owner_organisation_id', nullable: true }) ownerOrganisationId!: string | null;
  @Column('text', { name: 'model_id', nullable: true }) modelId!: string | null;
  @Column('bigint', { transformer: numberColumn }) count!: number;
  @Column('jsonb') evidence!: readonly string[];
  @Column('text') message!: string;
  @Column('text', { name: 'source_citation' }) sourceCitation!: string;
  @Column('text', { name: 'source_url' }) sourceUrl!: string;
  @Column('timestamptz', { name: 'occurred_at', nullable: true, transformer: instantColumn }) occurredAt!: string | null;
  @Column('boolean') acknowledged!: boolean;
  @Column('timestamptz', { name: 'opened_at', transformer: instantColumn }) openedAt!: string;
  @Column('timestamptz', { name: 'closed_at', nullable: true, transformer: instantColumn }) closedAt!: string | null;
  @Column('timestamptz', { name: 'updated_at', transformer: instantColumn }) updatedAt!: string;
}

/**
 * `findings_evaluations`: how far each data center's timeline has been judged (`evaluatedAt`), and when each part of
 * the rulebook was last judged for it (`lastJudged`; how findings of acts are dated: libs/compliance,
 * judgeDataCenterTimeline).
 */
@Entity({ name: 'findings_evaluations' })
export class FindingEvaluationRecord {
  @PrimaryColumn('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('timestamptz', { name: 'evaluated_at', transformer: instantColumn }) evaluatedAt!: string;
  @Column('jsonb', { name: 'last_judged', nullable: true }) lastJudged!: Record<string, number> | null;
}

/**
 * `findings_journal_batches`: every applied envelope, one row per batch (a JSON array in the batch's fold order),
 * folded by `load()` in `seq` order to rebuild the compliance state; `seq` is assigned by the database (identity), so
 * writers can never collide on it. A row per batch, not per event: a million jsonb rows with a unique index cost
 * PostgreSQL ~5 s per 100,000 events to write, one lz4-compressed text per batch ~0.8 s, and a sixth of the disk
 * (ADR 0007).
 */
@Entity({ name: 'findings_journal_batches' })
export class FindingsJournalBatch {
  /** Assigned by the database (GENERATED ALWAYS AS IDENTITY, see the migration): rows are inserted by the projection's SQL. */
  @PrimaryColumn('bigint', { transformer: numberColumn }) seq!: number;
  @Column('integer') events!: number;
  @Column('text') envelopes!: string;
}

export const FINDINGS_ENTITIES = [FindingRecord, FindingEvaluationRecord, FindingsJournalBatch] as const;
