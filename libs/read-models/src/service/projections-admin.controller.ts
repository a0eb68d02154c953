import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { problem, ProblemException, Roles } from '@chip-ledger/http';
import type { DeadLetterRecord, RebuildProgress } from '@chip-ledger/projection';
import { READ_MODEL_NAMES } from '../registry';
import { ProjectionEngineHost } from './projection-engine.provider';

class DeadLettersQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

const KNOWN = new Set<string>(Object.values(READ_MODEL_NAMES));

/** Operating the projections: blue/green rebuilds with progress, and the dead letters. */
@ApiTags('projections (admin)')
@ApiBearerAuth()
@Controller('admin')
export class ProjectionsAdminController {
  constructor(@Inject(ProjectionEngineHost) private readonly host: ProjectionEngineHost) {}

  /** Replays the projection from the start of the log into fresh tables; reads keep working; switches when caught up. */
  @Post('projections/:name/rebuild')
  @HttpCode(202)
  @Roles('admin')
  rebuild(@Param('name') name: string): Promise<RebuildProgress> {
    return this.host.engine.rebuild(known(name));
  }

  /** Progress of the latest generation: done, total, rate (events/s), ETA. */
  @Get('projections/:name/rebuild')
  @Roles('admin', 'auditor')
  async progress(@Param('name') name: string): Promise<RebuildProgress> {
    const progress = await this.host.engine.progress(known(name));
    if (!progress) throw new ProblemException(problem(404, 'PROJECTION.NO_GENERATION', 'Not found', `No generation of ${name} yet.`, { field: 'name' }));
    return progress;
  }

  @Get('dead-letters')
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
