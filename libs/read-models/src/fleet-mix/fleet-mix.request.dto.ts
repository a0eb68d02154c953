import { EnumField } from '@chip-ledger/http';
import { ConsistencyQueryDto } from '../query-api/query.dto';
import { FLEET_MIX_DIMENSIONS, type FleetMixDimension } from './fleet-mix.queries';

export class FleetMixQueryDto extends ConsistencyQueryDto {
  @EnumField(FLEET_MIX_DIMENSIONS, 'Group by country, owner organisation or chip vendor')
  by!: FleetMixDimension;
}
