import { Controller, Inject, type MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import type { ProjectionChange } from '@chip-ledger/projection';
import { filter, map, type Observable } from 'rxjs';
import { changeVisibleTo } from './change-visibility';
import { PROJECTION_CHANGES } from './tokens';

@ApiTags('read models')
@ApiBearerAuth()
@Controller('events')
@Roles('viewer', 'operator', 'auditor', 'admin')
export class EventsController {
  constructor(@Inject(PROJECTION_CHANGES) private readonly changes: Observable<ProjectionChange>) {}

  /** Server-sent events: each ProjectionChange the caller may see, `event:` = its kind, `data:` = the change as JSON. */
  @Sse('stream')
  stream(@CurrentActor() actor: Actor): Observable<MessageEvent> {
    return this.changes.pipe(
      filter((change) => changeVisibleTo(actor, change)),
      map((change) => ({ type: change.kind, data: change })),
    );
  }
}
