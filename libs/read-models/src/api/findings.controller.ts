import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { FINDINGS } from '../findings/findings.projection';
import { findingById, listFindings } from '../findings/findings.queries';
import { decodeCursor, pageOf } from './cursor';
import { ConsistencyQueryDto, FindingsQueryDto } from './dto/query.dto';
import { FindingPage, FindingResponse, withEvidenceLinks } from './findings.response.dto';
import { ReadOperation } from './read-operation';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@Controller('findings')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class FindingsController {
  constructor(private readonly reader: ReadModelReader) {}

  @Get()
  @ReadOperation({
    id: 'listFindings',
    summary: 'List compliance findings',
    description: "Each item is one interval during which a finding was open with one severity, newest first. Viewers and operators see their organisation's data centers only.",
    type: FindingPage,
  })
  async list(@CurrentActor() actor: Actor, @Query() query: FindingsQueryDto, @Headers('x-ledger-position') position?: string): Promise<FindingPage> {
    const schema = await this.reader.schema(FINDINGS, positionOf(query.after, position), actor);
    const limit = query.limit ?? 50;
    const after = decodeCursor<[string, string]>(query.cursor, ['instant', 'string']);
    const rows = await listFindings(this.reader.db, schema, {
      status: query.status,
      severity: query.severity,
      ruleId: query.ruleId,
      dataCenterId: query.dataCenterId,
      certainty: query.certainty,
      visibleToOrganisation: this.reader.scopeOf(actor),
      after: after && { openedAt: after[0], id: after[1] },
      limit: limit + 1,
    });
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
    const schema = await this.reader.schema(FINDINGS, positionOf(query.after, position), actor);
    const finding = await findingById(this.reader.db, schema, findingId);
    this.reader.assertVisible(actor, finding?.ownerOrganisationId ?? null, 'FINDING', findingId);
    if (finding === null) throw this.reader.notFound('FINDING', findingId); // refused above; this tells the compiler
    return withEvidenceLinks(finding);
  }
}
