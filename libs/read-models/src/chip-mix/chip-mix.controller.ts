import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { withEvidenceLinks } from '../findings/findings.response.dto';
import { decodeCursor, pageOf } from '../query-api/cursor';
import { ConsistencyQueryDto } from '../query-api/query.dto';
import { ReadOperation } from '../query-api/read-operation';
import { positionOf } from '../query-api/read-model-reader.service';
import { ChipMixQuery, DataCenterDetailQuery, ListDataCentersQuery } from './chip-mix.handlers';
import { DataCentersQueryDto } from './chip-mix.request.dto';
import { ChipMixResponse, DataCenterDetailResponse, DataCenterPage } from './chip-mix.response.dto';

const DATA_CENTER_NOT_FOUND = 'Unknown data center, or one of another organisation (DATA_CENTER.NOT_FOUND)';

/** GET /data-centers…: the chip-mix read model's data centers, their chip mix, and (from findings) their open findings. */
@ApiTags('read models')
@Controller('data-centers')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class ChipMixController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @ReadOperation({
    id: 'listDataCenters',
    summary: 'List data centers with their chip totals',
    description: "Viewers and operators see their organisation's data centers, auditors and admins every one; keyset-paginated by id.",
    type: DataCenterPage,
  })
  async list(@CurrentActor() actor: Actor, @Query() query: DataCentersQueryDto, @Headers('x-ledger-position') position?: string): Promise<DataCenterPage> {
    const limit = query.limit ?? 50;
    const [afterId] = decodeCursor<[string]>(query.cursor, ['string']) ?? [];
    const { country, ownerOrganisationId, stateFunded } = query;
    const rows = await this.queries.execute(
      new ListDataCentersQuery({ actor, position: positionOf(query.after, position) }, { country, ownerOrganisationId, stateFunded, afterId, limit: limit + 1 }),
    );
    return pageOf(rows, limit, (last) => [last.dataCenterId]);
  }

  @Get(':dataCenterId')
  @ReadOperation({ id: 'getDataCenter', summary: 'One data center: its facts, chip mix and open findings', type: DataCenterDetailResponse, notFound: DATA_CENTER_NOT_FOUND })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  async detail(
    @CurrentActor() actor: Actor,
    @Param('dataCenterId') dataCenterId: string,
    @Query() query: ConsistencyQueryDto,
    @Headers('x-ledger-position') position?: string,
  ): Promise<DataCenterDetailResponse> {
    const detail = await this.queries.execute(new DataCenterDetailQuery({ actor, position: positionOf(query.after, position) }, dataCenterId));
    return { ...detail, openFindings: detail.openFindings.map(withEvidenceLinks) };
  }

  @Get(':dataCenterId/chip-mix')
  @ReadOperation({ id: 'getChipMix', summary: "A data center's chip mix, by model", type: ChipMixResponse, notFound: DATA_CENTER_NOT_FOUND })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  async chipMix(
    @CurrentActor() actor: Actor,
    @Param('dataCenterId') dataCenterId: string,
    @Query() query: ConsistencyQueryDto,
    @Headers('x-ledger-position') position?: string,
  ): Promise<ChipMixResponse> {
    return { dataCenterId, items: await this.queries.execute(new ChipMixQuery({ actor, position: positionOf(query.after, position) }, dataCenterId)) };
  }
}
