import { Controller, Get, Headers, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { decodeCursor, pageOf } from '../query-api/cursor';
import { ReadOperation } from '../query-api/read-operation';
import { positionOf } from '../query-api/read-model-reader.service';
import { ListRentalsQuery } from './rentals.handlers';
import { RentalsQueryDto } from './rentals.request.dto';
import { RentalPage } from './rentals.response.dto';

@ApiTags('read models')
@Controller('rentals')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class RentalsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @ReadOperation({
    id: 'listRentals',
    summary: 'List rentals of capacity',
    description: 'Viewers and operators see rentals where their organisation is the tenant or owns the provider data center; keyset-paginated by rental id.',
    type: RentalPage,
  })
  async list(@CurrentActor() actor: Actor, @Query() query: RentalsQueryDto, @Headers('x-ledger-position') position?: string): Promise<RentalPage> {
    const limit = query.limit ?? 50;
    const [afterId] = decodeCursor<[string]>(query.cursor, ['string']) ?? [];
    const { tenantOrganisationId, providerDataCenterId } = query;
    const rows = await this.queries.execute(
      new ListRentalsQuery({ actor, position: positionOf(query.after, position) }, { tenantOrganisationId, providerDataCenterId, afterId, limit: limit + 1 }),
    );
    return pageOf(rows, limit, (last) => [last.rentalId]);
  }
}
