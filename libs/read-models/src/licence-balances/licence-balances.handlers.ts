import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CHIP_MIX } from '../chip-mix/chip-mix.projection';
import { ownerOf } from '../chip-mix/chip-mix.queries';
import { ReadModelReader, type ReadContext } from '../query-api/read-model-reader.service';
import { LICENCE_BALANCES } from './licence-balances.projection';
import { licenceBalance, licenceBalances, licenceIdsUsedAt, type LicenceBalance } from './licence-balances.queries';

/**
 * The balances of the licences a data center's deliveries and transfers-in cited. The data center must be visible to
 * the caller (else 404); viewers and operators see only licences their organisation is the consignee of.
 */
export class LicencesInUseQuery extends Query<LicenceBalance[]> {
  constructor(
    readonly context: ReadContext,
    readonly dataCenterId: string,
  ) {
    super();
  }
}

/** One licence's balance: admins and auditors see every licence, others those consigned to them (else 404). */
export class LicenceBalanceQuery extends Query<LicenceBalance> {
  constructor(
    readonly context: ReadContext,
    readonly licenceId: string,
  ) {
    super();
  }
}

@QueryHandler(LicencesInUseQuery)
export class LicencesInUseHandler implements IQueryHandler<LicencesInUseQuery, LicenceBalance[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  async execute({ context, dataCenterId }: LicencesInUseQuery): Promise<LicenceBalance[]> {
    const owner = await this.reader.read(CHIP_MIX, context, (db) => ownerOf(db, dataCenterId));
    this.reader.assertVisible(context.actor, owner, 'DATA_CENTER', dataCenterId);
    const scope = this.reader.scopeOf(context.actor);
    const balances = await this.reader.read(LICENCE_BALANCES, context, async (db) => licenceBalances(db, await licenceIdsUsedAt(db, dataCenterId), this.reader.now()));
    return balances.filter((b) => scope === undefined || b.consigneeOrganisationId === scope);
  }
}

@QueryHandler(LicenceBalanceQuery)
export class LicenceBalanceHandler implements IQueryHandler<LicenceBalanceQuery, LicenceBalance> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  async execute({ context, licenceId }: LicenceBalanceQuery): Promise<LicenceBalance> {
    const balance = await this.reader.read(LICENCE_BALANCES, context, (db) => licenceBalance(db, licenceId, this.reader.now()));
    const scope = this.reader.scopeOf(context.actor);
    if (balance === null || (scope !== undefined && balance.consigneeOrganisationId !== scope)) throw this.reader.notFound('LICENCE', licenceId);
    return balance;
  }
}

export const LICENCE_BALANCES_QUERY_HANDLERS = [LicencesInUseHandler, LicenceBalanceHandler];
