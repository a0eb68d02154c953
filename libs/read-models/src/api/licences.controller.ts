import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { LICENCE_BALANCES } from '../licence-balances/licence-balances.projection';
import { licenceBalance } from '../licence-balances/licence-balances.queries';
import { ConsistencyQueryDto } from './dto/query.dto';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@ApiBearerAuth()
@Controller('export-licences')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class LicencesController {
  constructor(private readonly reader: ReadModelReader) {}

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
