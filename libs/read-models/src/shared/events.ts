import type { LedgerEnvelope } from '@chip-ledger/compliance';
import type { ProjectedEvent } from '@chip-ledger/projection';

/** A projected event seen as the ledger union, so `type` narrows `data`. */
export type LedgerProjectedEvent = LedgerEnvelope & Pick<ProjectedEvent, 'source'>;

/** Narrows an engine event to the ledger's union. Unknown (newer) types fall through every `switch` harmlessly. */
export const asLedger = (event: ProjectedEvent): LedgerEnvelope => event as unknown as LedgerEnvelope;
