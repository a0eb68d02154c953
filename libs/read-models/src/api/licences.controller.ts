import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { LICENCE_BALANCES } from '../licence-balances/licence-balances.projection';
import { licenceBalance } from '../licence-balances/licence-balances.queries';
import { ConsistencyQueryDto } from './dto/query.dto';
import { LicenceBalanceResponse } from './licences.response.dto';
import { ReadOperation } from './read-operation';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@Controller('export-licences')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class LicencesController {
  constructor(private readonly reader: ReadModelReader) {}

  @Get(':licenceId/balance')
  @ReadOperation({
    id: 'getLicenceBalance',
    summary: "An export licence's balance and usage history",
    description: 'Authorised, used and remaining quantities, every usage and remittance. Admins and auditors see every licence; others only those whose consignee is their organisation.',
    type: LicenceBalanceResponse,
    notFound: 'Unknown licence, or one whose consignee is another organisation (LICENCE.NOT_FOUND)',
  })
  @ApiIdParam('licenceId', 'Export licence id', 'lic-d1234567')
  async balance(
    @CurrentActor() actor: Actor,
    @Param('licenceId') licenceId: string,
    @Query() query: ConsistencyQueryDto,
    @Headers('x-ledger-position') position?: string,
  ): Promise<LicenceBalanceResponse> {
    const schema = await this.reader.schema(LICENCE_BALANCES, positionOf(query.after, position), actor);
    const balance = await licenceBalance(this.reader.db, schema, licenceId, this.reader.now());
    const scope = this.reader.scopeOf(actor);
    if (balance === null || (scope !== undefined && balance.consigneeOrganisationId !== scope)) throw this.reader.notFound('LICENCE', licenceId);
    return balance;
  }
}
