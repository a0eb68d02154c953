import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CHIP_MIX } from '../chip-mix/chip-mix.projection';
import { ReadModelReader, type ReadContext } from '../query-api/read-model-reader.service';
import { fleetMix, type FleetMixDimension, type FleetMixRow } from './fleet-mix.queries';

/** The fleet's totals by one dimension (viewers and operators: their organisation's fleet). */
export class FleetMixQuery extends Query<FleetMixRow[]> {
  constructor(
    readonly context: ReadContext,
    readonly by: FleetMixDimension,
  ) {
    super();
  }
}

@QueryHandler(FleetMixQuery)
export class FleetMixHandler implements IQueryHandler<FleetMixQuery, FleetMixRow[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  execute({ context, by }: FleetMixQuery): Promise<FleetMixRow[]> {
    // Fleet mix is a query over the chip-mix read model's tables: it reads chip-mix's live generation.
    return this.reader.read(CHIP_MIX, context, (db) => fleetMix(db, by, { visibleToOrganisation: this.reader.scopeOf(context.actor) }, this.reader.now()));
  }
}

export const FLEET_MIX_QUERY_HANDLERS = [FleetMixHandler];
