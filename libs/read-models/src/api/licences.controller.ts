import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { CHIP_MIX } from '../chip-mix/chip-mix.projection';
import { ownerOf } from '../chip-mix/chip-mix.queries';
import { LICENCE_BALANCES } from '../licence-balances/licence-balances.projection';
import { licenceBalance, licenceIdsUsedAt, type LicenceBalance } from '../licence-balances/licence-balances.queries';
import { ConsistencyQueryDto, LicencesQueryDto } from './dto/query.dto';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@ApiBearerAuth()
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
  async usedAt(@CurrentActor() actor: Actor, @Query() query: LicencesQueryDto, @Headers('x-ledger-position') position?: string) {
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
  async balance(
    @CurrentActor() actor: Actor,
    @Param('licenceId') licenceId: string,
    @Query() query: ConsistencyQueryDto,
    @Headers('x-ledger-position') position?: string,
  ) {
    const schema = await this.reader.schema(LICENCE_BALANCES, positionOf(query.after, position), actor);
    const balance = await licenceBalance(this.reader.db, schema, licenceId, this.reader.now());
    const scope = this.reader.scopeOf(actor);
    if (balance === null || (scope !== undefined && balance.consigneeOrganisationId !== scope)) throw this.reader.notFound('LICENCE', licenceId);
    return balance;
  }
}
