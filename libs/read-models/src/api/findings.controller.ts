import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { FINDINGS } from '../findings/findings.projection';
import { findingById, listFindings, type FindingView } from '../findings/findings.queries';
import { decodeCursor, pageOf } from './cursor';
import { ConsistencyQueryDto, FindingsQueryDto } from './dto/query.dto';
import { positionOf, ReadModelReader } from './read-model-reader.service';

@ApiTags('read models')
@ApiBearerAuth()
@Controller('findings')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class FindingsController {
  constructor(private readonly reader: ReadModelReader) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Query() query: FindingsQueryDto, @Headers('x-ledger-position') position?: string) {
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
  async detail(
    @CurrentActor() actor: Actor,
    @Param('findingId') findingId: string,
    @Query() query: ConsistencyQueryDto,
    @Headers('x-ledger-position') position?: string,
  ) {
    const schema = await this.reader.schema(FINDINGS, positionOf(query.after, position), actor);
    const finding = await findingById(this.reader.db, schema, findingId);
    this.reader.assertVisible(actor, finding?.ownerOrganisationId ?? null, 'FINDING', findingId);
    return finding && withEvidenceLinks(finding);
  }
}

/** Each evidence event id resolves at GET /events/{eventId} (the auditors' read side). */
const withEvidenceLinks = (finding: FindingView) => ({ ...finding, links: { evidence: finding.evidence.map((eventId) => `/events/${eventId}`) } });
