import type { ReadModelDefinition } from '../shared/read-model';
import { FindingsController } from './findings.controller';
import { FINDINGS_ENTITIES } from './findings.entities';
import { FINDINGS_QUERY_HANDLERS } from './findings.handlers';
import { FindingsProjection } from './findings.projection';

export const FINDINGS_READ_MODEL: ReadModelDefinition = {
  entities: FINDINGS_ENTITIES,
  projection: ({ rulebook, clock }) => new FindingsProjection({ rulebook, clock }),
  controllers: [FindingsController],
  queryHandlers: FINDINGS_QUERY_HANDLERS,
};
