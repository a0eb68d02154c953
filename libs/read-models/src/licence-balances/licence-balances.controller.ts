import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { ConsistencyQueryDto } from '../query-api/query.dto';
import { ReadOperation } from '../query-api/read-operation';
import { positionOf } from '../query-api/read-model-reader.service';
import { LicenceBalanceQuery, LicencesInUseQuery } from './licence-balances.handlers';
import { LicencesQueryDto } from './licence-balances.request.dto';
import { LicenceBalanceResponse, LicencesInUseResponse } from './licence-balances.response.dto';

@ApiTags('read models')
@Controller('export-licences')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class LicenceBalancesController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  /**
   * The balances of the licences a data center's deliveries and transfers-in cited (its "licences in use"). The data
   * center must be visible to the caller (else 404); viewers and operators see only licences their organisation is
   * the consignee of.
   */
  @Get()
  @ReadOperation({
    id: 'listLicencesInUse',
    summary: "The balances of the licences a data center's deliveries and transfers-in cited",
    description: 'The data center must be visible to the caller; viewers and operators see only the licences whose consignee is their organisation.',
    type: LicencesInUseResponse,
    notFound: 'Unknown data center, or one of another organisation (DATA_CENTER.NOT_FOUND)',
  })
  async usedAt(@CurrentActor() actor: Actor, @Query() query: LicencesQueryDto, @Headers('x-ledger-position') position?: string): Promise<LicencesInUseResponse> {
    const items = await this.queries.execute(new LicencesInUseQuery({ actor, position: positionOf(query.after, position) }, query.dataCenterId));
    return { dataCenterId: query.dataCenterId, items };
  }

  /** Admins and auditors see every licence; others only licences whose consignee is their organisation (else 404). */
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
    return this.queries.execute(new LicenceBalanceQuery({ actor, position: positionOf(query.after, position) }, licenceId));
  }
}
