import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { CHIP_MIX } from '../chip-mix/chip-mix.projection';
import { ownerOf } from '../chip-mix/chip-mix.queries';
import { LICENCE_BALANCES } from '../licence-balances/licence-balances.projection';
import { licenceBalance, licenceIdsUsedAt, type LicenceBalance } from '../licence-balances/licence-balances.queries';
import { ConsistencyQueryDto, LicencesQueryDto } from './dto/query.dto';
import { LicenceBalanceResponse, LicencesInUseResponse } from './licences.response.dto';
import { ReadOperation } from './read-operation';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@Controller('export-licences')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class LicencesController {
  constructor(private readonly reader: ReadModelReader) {}

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
    const at = positionOf(query.after, position);
    const chipMix = await this.reader.schema(CHIP_MIX, at, actor);
    this.reader.assertVisible(actor, await ownerOf(this.reader.db, chipMix, query.dataCenterId), 'DATA_CENTER', query.dataCenterId);
    const schema = await this.reader.schema(LICENCE_BALANCES, at, actor);
    const now = this.reader.now();
    const scope = this.reader.scopeOf(actor);
    const balances = await Promise.all((await licenceIdsUsedAt(this.reader.db, schema, query.dataCenterId)).map((id) => licenceBalance(this.reader.db, schema, id, now)));
    const items = balances.filter((b): b is LicenceBalance => b !== null && (scope === undefined || b.consigneeOrganisationId === scope));
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
    const schema = await this.reader.schema(LICENCE_BALANCES, positionOf(query.after, position), actor);
    const balance = await licenceBalance(this.reader.db, schema, licenceId, this.reader.now());
    const scope = this.reader.scopeOf(actor);
    if (balance === null || (scope !== undefined && balance.consigneeOrganisationId !== scope)) throw this.reader.notFound('LICENCE', licenceId);
    return balance;
  }
}
