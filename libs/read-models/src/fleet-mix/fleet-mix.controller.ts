import { Controller, Get, Headers, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { ReadOperation } from '../query-api/read-operation';
import { positionOf } from '../query-api/read-model-reader.service';
import { FleetMixQuery } from './fleet-mix.handlers';
import { FleetMixQueryDto } from './fleet-mix.request.dto';
import { FleetMixResponse } from './fleet-mix.response.dto';

@ApiTags('read models')
@Controller('fleet-mix')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class FleetMixController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @ReadOperation({
    id: 'getFleetMix',
    summary: 'Chip totals by country, owner or vendor',
    description: "Viewers and operators see their own organisation's fleet only.",
    type: FleetMixResponse,
  })
  async get(@CurrentActor() actor: Actor, @Query() query: FleetMixQueryDto, @Headers('x-ledger-position') position?: string): Promise<FleetMixResponse> {
    return { by: query.by, items: await this.queries.execute(new FleetMixQuery({ actor, position: positionOf(query.after, position) }, query.by)) };
  }
}
