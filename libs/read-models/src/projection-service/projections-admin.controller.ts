import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiProblem, Operation, problem, ProblemException, Roles } from '@chip-ledger/http';
import type { DeadLetterRecord, RebuildProgress } from '@chip-ledger/projection';
import { FINDINGS } from '../findings/findings.projection';
import { READ_MODEL_NAMES } from '../registry';
import { ProjectionEngineHost } from './projection-engine.provider';
import { DeadLetterResponse, RebuildProgressResponse } from './projections-admin.response.dto';

class DeadLettersQuery {
  @ApiPropertyOptional({ description: 'How many, newest first (1-500, default 100)', type: 'integer', minimum: 1, maximum: 500, example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

const KNOWN = new Set<string>(READ_MODEL_NAMES);

const ProjectionName = (): MethodDecorator =>
  ApiParam({ name: 'name', description: 'The projection', enum: [...READ_MODEL_NAMES], example: FINDINGS });

/** Operating the projections: blue/green rebuilds with progress, and the dead letters. */
@ApiTags('projections (admin)')
@Controller('admin')
export class ProjectionsAdminController {
  constructor(@Inject(ProjectionEngineHost) private readonly host: ProjectionEngineHost) {}

  /** Replays the projection from the start of the log into fresh tables; reads keep working; switches when caught up. */
  @Post('projections/:name/rebuild')
  @HttpCode(202)
  @Operation({ id: 'rebuildProjection', summary: 'Rebuild a projection from the start of the log', description: 'Blue/green: a new generation replays every event into fresh tables while reads keep using the active one; reads switch when it has caught up. Takes no body.' })
  @ApiAcceptedResponse({ type: RebuildProgressResponse, description: 'The rebuild started; follow it with GET on the same path' })
  @ProjectionName()
  @ApiProblem(404, 'No projection of that name (PROJECTION.UNKNOWN)')
  @ApiProblem(413, 'A body larger than 256 KiB (the operation takes none)')
  @ApiProblem(415, 'A body that is not application/json (the operation takes none)')
  @Roles('admin')
  rebuild(@Param('name') name: string): Promise<RebuildProgress> {
    return this.host.engine.rebuild(known(name));
  }

  /** Progress of the latest generation: done, total, rate (events/s), ETA. */
  @Get('projections/:name/rebuild')
  @Operation({ id: 'getRebuildProgress', summary: "Progress of a projection's latest generation" })
  @ApiOkResponse({ type: RebuildProgressResponse })
  @ProjectionName()
  @ApiProblem(404, 'No projection of that name (PROJECTION.UNKNOWN), or no generation yet (PROJECTION.NO_GENERATION)')
  @Roles('admin', 'auditor')
  async progress(@Param('name') name: string): Promise<RebuildProgress> {
    const progress = await this.host.engine.progress(known(name));
    if (!progress) throw new ProblemException(problem(404, 'PROJECTION.NO_GENERATION', 'Not found', `No generation of ${name} yet.`, { field: 'name' }));
    return progress;
  }

  @Get('dead-letters')
  @Operation({ id: 'listDeadLetters', summary: 'Messages the projections gave up on', description: 'Undecodable messages and events whose apply kept failing, newest first, with the original payload to replay once fixed.' })
  @ApiOkResponse({ type: [DeadLetterResponse] })
  @ApiProblem(400, 'An invalid limit (REQUEST.INVALID)')
  @Roles('admin', 'auditor')
  deadLetters(@Query() query: DeadLettersQuery): Promise<DeadLetterRecord[]> {
    return this.host.engine.listDeadLetters({ limit: query.limit ?? 100 });
  }
}

function known(name: string): string {
  if (!KNOWN.has(name)) {
    throw new ProblemException(problem(404, 'PROJECTION.UNKNOWN', 'Not found', `No projection named ${name}; known: ${[...KNOWN].join(', ')}.`, { field: 'name' }));
  }
  return name;
}
