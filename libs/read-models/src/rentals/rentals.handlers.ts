import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ReadModelReader, type ReadContext } from '../query-api/read-model-reader.service';
import { RENTALS } from './rentals.projection';
import { listRentals, type RentalFilter, type RentalView } from './rentals.queries';

/** Rentals the caller may see (tenant, or owner of the provider data center), by id, after `filter.afterId`. */
export class ListRentalsQuery extends Query<RentalView[]> {
  constructor(
    readonly context: ReadContext,
    readonly filter: Omit<RentalFilter, 'visibleToOrganisation'>,
  ) {
    super();
  }
}

@QueryHandler(ListRentalsQuery)
export class ListRentalsHandler implements IQueryHandler<ListRentalsQuery, RentalView[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  execute({ context, filter }: ListRentalsQuery): Promise<RentalView[]> {
    return this.reader.read(RENTALS, context, (db) => listRentals(db, { ...filter, visibleToOrganisation: this.reader.scopeOf(context.actor) }, this.reader.now()));
  }
}

export const RENTALS_QUERY_HANDLERS = [ListRentalsHandler];
