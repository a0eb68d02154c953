import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { decodeCursor, pageOf } from '../query-api/cursor';
import { ConsistencyQueryDto } from '../query-api/query.dto';
import { ReadOperation } from '../query-api/read-operation';
import { positionOf } from '../query-api/read-model-reader.service';
import { FindingQuery, ListFindingsQuery } from './findings.handlers';
import { FindingsQueryDto } from './findings.request.dto';
import { FindingPage, FindingResponse, withEvidenceLinks } from './findings.response.dto';

@ApiTags('read models')
@Controller('findings')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class FindingsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @ReadOperation({
    id: 'listFindings',
    summary: 'List compliance findings',
    description: "Each item is one interval during which a finding was open with one severity, newest first. Viewers and operators see their organisation's data centers only.",
    type: FindingPage,
  })
  async list(@CurrentActor() actor: Actor, @Query() query: FindingsQueryDto, @Headers('x-ledger-position') position?: string): Promise<FindingPage> {
    const limit = query.limit ?? 50;
    const after = decodeCursor<[string, string]>(query.cursor, ['instant', 'string']);
    const { status, severity, ruleId, dataCenterId, certainty } = query;
    const rows = await this.queries.execute(
      new ListFindingsQuery(
        { actor, position: positionOf(query.after, position) },
        { status, severity, ruleId, dataCenterId, certainty, after: after && { openedAt: after[0], id: after[1] }, limit: limit + 1 },
      ),
    );
    const page = pageOf(rows, limit, (last) => [last.openedAt, last.id]);
    return { ...page, items: page.items.map(withEvidenceLinks) };
  }

  @Get(':findingId')
  @ReadOperation({ id: 'getFinding', summary: 'One finding interval', type: FindingResponse, notFound: 'Unknown finding, or one of another organisation (FINDING.NOT_FOUND)' })
  @ApiParam({ name: 'findingId', description: 'The `id` of a finding interval (as listed by GET /findings)', example: 'kR2m5xQ9vT0aL7cW3pN8sY', schema: { type: 'string', maxLength: 200 } })
  async detail(
    @CurrentActor() actor: Actor,
    @Param('findingId') findingId: string,
    @Query() query: ConsistencyQueryDto,
    @Headers('x-ledger-position') position?: string,
  ): Promise<FindingResponse> {
    return withEvidenceLinks(await this.queries.execute(new FindingQuery({ actor, position: positionOf(query.after, position) }, findingId)));
  }
}
