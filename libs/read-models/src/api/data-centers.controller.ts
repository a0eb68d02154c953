import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { chipMixOf, dataCenterFacts, listDataCenters, ownerOf } from '../chip-mix/chip-mix.queries';
import { CHIP_MIX } from '../chip-mix/chip-mix.projection';
import { FINDINGS } from '../findings/findings.projection';
import { openFindingsOf } from '../findings/findings.queries';
import { decodeCursor, pageOf } from './cursor';
import { ChipMixResponse, DataCenterDetailResponse, DataCenterPage } from './data-centers.response.dto';
import { withEvidenceLinks } from './findings.response.dto';
import { ConsistencyQueryDto, DataCentersQueryDto } from './dto/query.dto';
import { ReadOperation } from './read-operation';
import { positionOf, ReadModelReader } from './read-model-reader.service';

const DATA_CENTER_NOT_FOUND = 'Unknown data center, or one of another organisation (DATA_CENTER.NOT_FOUND)';

@ApiTags('read models')
@Controller('data-centers')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class DataCentersController {
  constructor(private readonly reader: ReadModelReader) {}

  @Get()
  @ReadOperation({
    id: 'listDataCenters',
    summary: 'List data centers with their chip totals',
    description: "Viewers and operators see their organisation's data centers, auditors and admins every one; keyset-paginated by id.",
    type: DataCenterPage,
  })
  async list(@CurrentActor() actor: Actor, @Query() query: DataCentersQueryDto, @Headers('x-ledger-position') position?: string): Promise<DataCenterPage> {
    const schema = await this.reader.schema(CHIP_MIX, positionOf(query.after, position), actor);
    const limit = query.limit ?? 50;
    const [afterId] = decodeCursor<[string]>(query.cursor, ['string']) ?? [];
    const rows = await listDataCenters(
      this.reader.db,
      schema,
      {
        country: query.country,
        ownerOrganisationId: query.ownerOrganisationId,
        stateFunded: query.stateFunded,
        visibleToOrganisation: this.reader.scopeOf(actor),
        afterId,
        limit: limit + 1,
      },
      this.reader.now(),
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
    const at = positionOf(query.after, position);
    const schema = await this.reader.schema(CHIP_MIX, at, actor);
    const now = this.reader.now();
    const facts = await dataCenterFacts(this.reader.db, schema, dataCenterId, now);
    this.reader.assertVisible(actor, facts?.ownerOrganisationId ?? null, 'DATA_CENTER', dataCenterId);
    if (facts === null) throw this.reader.notFound('DATA_CENTER', dataCenterId); // refused above; this tells the compiler
    const [chipMix, openFindings] = await Promise.all([
      chipMixOf(this.reader.db, schema, dataCenterId, now),
      // The same position: the open findings must include the client's write too, not only the chip mix.
      this.reader.schema(FINDINGS, at, actor).then((s) => openFindingsOf(this.reader.db, s, dataCenterId)),
    ]);
    return { ...facts, chipMix, openFindings: openFindings.map(withEvidenceLinks) };
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
    const schema = await this.reader.schema(CHIP_MIX, positionOf(query.after, position), actor);
    this.reader.assertVisible(actor, await ownerOf(this.reader.db, schema, dataCenterId), 'DATA_CENTER', dataCenterId);
    return { dataCenterId, items: await chipMixOf(this.reader.db, schema, dataCenterId, this.reader.now()) };
  }
}
