import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { FINDINGS } from '../findings/findings.projection';
import { openFindingsOf, type FindingView } from '../findings/findings.queries';
import { ReadModelReader, type ReadContext } from '../query-api/read-model-reader.service';
import { CHIP_MIX } from './chip-mix.projection';
import { chipMixOf, dataCenterFacts, listDataCenters, ownerOf, registeredOrganisations, type ChipMixLine, type DataCenterFacts, type DataCenterFilter, type RegisteredOrganisation } from './chip-mix.queries';

/** Data centers the caller may see, by id, from `filter.afterId`, at most `filter.limit`. */
export class ListDataCentersQuery extends Query<DataCenterFacts[]> {
  constructor(
    readonly context: ReadContext,
    readonly filter: Omit<DataCenterFilter, 'visibleToOrganisation'>,
  ) {
    super();
  }
}

export type DataCenterDetail = DataCenterFacts & { readonly chipMix: ChipMixLine[]; readonly openFindings: FindingView[] };

/** One data center's facts, chip mix and open findings (404 when unknown or another organisation's). */
export class DataCenterDetailQuery extends Query<DataCenterDetail> {
  constructor(
    readonly context: ReadContext,
    readonly dataCenterId: string,
  ) {
    super();
  }
}

/** One data center's chip mix (404 when unknown or another organisation's). */
export class ChipMixQuery extends Query<ChipMixLine[]> {
  constructor(
    readonly context: ReadContext,
    readonly dataCenterId: string,
  ) {
    super();
  }
}

/** Every registered organisation (the development sign-in's choices). */
export class RegisteredOrganisationsQuery extends Query<RegisteredOrganisation[]> {}

@QueryHandler(ListDataCentersQuery)
export class ListDataCentersHandler implements IQueryHandler<ListDataCentersQuery, DataCenterFacts[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  execute({ context, filter }: ListDataCentersQuery): Promise<DataCenterFacts[]> {
    const scoped = { ...filter, visibleToOrganisation: this.reader.scopeOf(context.actor) };
    return this.reader.read(CHIP_MIX, context, (db) => listDataCenters(db, scoped, this.reader.now()));
  }
}

@QueryHandler(DataCenterDetailQuery)
export class DataCenterDetailHandler implements IQueryHandler<DataCenterDetailQuery, DataCenterDetail> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  async execute({ context, dataCenterId }: DataCenterDetailQuery): Promise<DataCenterDetail> {
    const now = this.reader.now();
    const { facts, chipMix } = await this.reader.read(CHIP_MIX, context, async (db) => {
      const facts = await dataCenterFacts(db, dataCenterId, now);
      this.reader.assertVisible(context.actor, facts?.ownerOrganisationId ?? null, 'DATA_CENTER', dataCenterId);
      return { facts, chipMix: await chipMixOf(db, dataCenterId, now) };
    });
    if (facts === null) throw this.reader.notFound('DATA_CENTER', dataCenterId); // refused above; this tells the compiler
    // The same position: the open findings must include the client's write too, not only the chip mix.
    const openFindings = await this.reader.read(FINDINGS, context, (db) => openFindingsOf(db, dataCenterId));
    return { ...facts, chipMix, openFindings };
  }
}

@QueryHandler(ChipMixQuery)
export class ChipMixHandler implements IQueryHandler<ChipMixQuery, ChipMixLine[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  execute({ context, dataCenterId }: ChipMixQuery): Promise<ChipMixLine[]> {
    return this.reader.read(CHIP_MIX, context, async (db) => {
      this.reader.assertVisible(context.actor, await ownerOf(db, dataCenterId), 'DATA_CENTER', dataCenterId);
      return chipMixOf(db, dataCenterId, this.reader.now());
    });
  }
}

@QueryHandler(RegisteredOrganisationsQuery)
export class RegisteredOrganisationsHandler implements IQueryHandler<RegisteredOrganisationsQuery, RegisteredOrganisation[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  execute(): Promise<RegisteredOrganisation[]> {
    return this.reader.readLatest(CHIP_MIX, registeredOrganisations);
  }
}

export const CHIP_MIX_QUERY_HANDLERS = [ListDataCentersHandler, DataCenterDetailHandler, ChipMixHandler, RegisteredOrganisationsHandler];
