import { canAccessOrganisation, problem, ProblemException } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import type { LedgerEntry } from '../as-of/ledger-entry';
import type { LedgerReader } from '../store/ledger-reader';

export type Resource = 'DATA_CENTER' | 'ORGANISATION' | 'LICENCE' | 'STREAM' | 'EVENT';

const NOUN: Record<Resource, string> = { DATA_CENTER: 'Data center', ORGANISATION: 'Organisation', LICENCE: 'Export licence', STREAM: 'Stream', EVENT: 'Event' };

/** 404, the same whether the thing does not exist or belongs to another organisation (ADR 0018). */
export const notFound = (what: Resource, id: string, field?: string): ProblemException =>
  new ProblemException(problem(404, `${what}.NOT_FOUND`, 'Not found', `${NOUN[what]} ${id} does not exist.`, field ? { field } : {}));

/** Auditors and admins read every organisation; operators and viewers only their own. */
export const seesEverything = (actor: Actor): boolean => actor.role === 'auditor' || actor.role === 'admin';

/**
 * The organisations whose members may read a stream, from its first event (what the stream is about): the owner of
 * the data center it concerns, the buyer of an order, the consignee of a licence, the organisation itself. 'public':
 * the chip catalog. An empty list: only auditors and admins.
 */
export const streamReaders = async (reader: LedgerReader, first: LedgerEntry): Promise<readonly string[] | 'public'> => {
  const d = first.data as Record<string, unknown>;
  const str = (key: string): string | null => (typeof d[key] === 'string' ? (d[key] as string) : null);
  switch (first.type) {
    case 'ChipModelAdded':
    case 'ChipModelCorrected':
      return 'public';
    case 'OrganisationRegistered':
      return [str('organisationId') ?? ''];
    case 'ExportLicenceIssued':
      return [str('consigneeOrganisationId') ?? ''];
    case 'RentalStarted': {
      const owner = await reader.ownerOfDataCenter(str('providerDataCenterId') ?? '');
      return owner ? [owner] : [];
    }
    case 'PurchaseOrderPlaced': {
      const owner = await reader.ownerOfDataCenter(str('dataCenterId') ?? '');
      return [str('buyerOrganisationId') ?? '', ...(owner ? [owner] : [])];
    }
    default: {
      const dataCenterId = str('dataCenterId');
      const owner = dataCenterId === null ? null : await reader.ownerOfDataCenter(dataCenterId);
      return owner ? [owner] : [];
    }
  }
};

/** Whether the actor may read the stream whose first event is given. */
export const canReadStream = async (reader: LedgerReader, actor: Actor, first: LedgerEntry): Promise<boolean> => {
  if (seesEverything(actor)) return true;
  const readers = await streamReaders(reader, first);
  return readers === 'public' || readers.some((organisation) => canAccessOrganisation(actor, organisation));
};
