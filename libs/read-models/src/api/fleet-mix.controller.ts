import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { CHIP_MIX } from '../chip-mix/chip-mix.projection';
import { fleetMix } from '../fleet-mix/fleet-mix.queries';
import { FleetMixQueryDto } from './dto/query.dto';
import { FleetMixResponse } from './fleet-mix.response.dto';
import { ReadOperation } from './read-operation';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@Controller('fleet-mix')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class FleetMixController {
  constructor(private readonly reader: ReadModelReader) {}

  @Get()
  @ReadOperation({
    id: 'getFleetMix',
    summary: 'Chip totals by country, owner or vendor',
    description: "Viewers and operators see their own organisation's fleet only.",
    type: FleetMixResponse,
  })
  async get(@CurrentActor() actor: Actor, @Query() query: FleetMixQueryDto, @Headers('x-ledger-position') position?: string): Promise<FleetMixResponse> {
    const schema = await this.reader.schema(CHIP_MIX, positionOf(query.after, position), actor);
    const items = await fleetMix(this.reader.db, schema, query.by, { visibleToOrganisation: this.reader.scopeOf(actor) }, this.reader.now());
    return { by: query.by, items };
  }
}
