import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { RENTALS } from '../rentals/rentals.projection';
import { listRentals } from '../rentals/rentals.queries';
import { decodeCursor, pageOf } from './cursor';
import { RentalsQueryDto } from './dto/query.dto';
import { ReadOperation } from './read-operation';
import { positionOf, ReadModelReader } from './read-model-reader.service';
import { RentalPage } from './rentals.response.dto';

@ApiTags('read models')
@Controller('rentals')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class RentalsController {
  constructor(private readonly reader: ReadModelReader) {}

  @Get()
  @ReadOperation({
    id: 'listRentals',
    summary: 'List rentals of capacity',
    description: 'Viewers and operators see rentals where their organisation is the tenant or owns the provider data center; keyset-paginated by rental id.',
    type: RentalPage,
  })
  async list(@CurrentActor() actor: Actor, @Query() query: RentalsQueryDto, @Headers('x-ledger-position') position?: string): Promise<RentalPage> {
    const schema = await this.reader.schema(RENTALS, positionOf(query.after, position), actor);
    const limit = query.limit ?? 50;
    const [afterId] = decodeCursor<[string]>(query.cursor, ['string']) ?? [];
    const rows = await listRentals(
      this.reader.db,
      schema,
      {
        tenantOrganisationId: query.tenantOrganisationId,
        providerDataCenterId: query.providerDataCenterId,
        visibleToOrganisation: this.reader.scopeOf(actor),
        afterId,
        limit: limit + 1,
      },
      this.reader.now(),
    );
    return pageOf(rows, limit, (last) => [last.rentalId]);
  }
}
