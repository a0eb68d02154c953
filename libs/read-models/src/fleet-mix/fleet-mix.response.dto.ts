import { ApiProperty } from '@nestjs/swagger';
import { FLEET_MIX_DIMENSIONS, type FleetMixDimension, type FleetMixRow } from './fleet-mix.queries';

export class FleetMixRowResponse implements FleetMixRow {
  @ApiProperty({ type: String, nullable: true, description: 'Country code, organisation id or vendor; null for chips of a model not in the catalog (by vendor)', example: 'CN' })
  readonly key!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What to show for the key', example: 'CN' }) readonly label!: string | null;
  @ApiProperty({ type: 'integer', example: 14 }) readonly dataCenters!: number;
  @ApiProperty({ type: 'integer', example: 48_640 }) readonly installed!: number;
  @ApiProperty({ type: 'integer', example: 6_200 }) readonly inStock!: number;
  @ApiProperty({ type: 'integer', example: 2_048 }) readonly onOrder!: number;
  @ApiProperty({ type: 'integer', example: 1_024 }) readonly rentedOut!: number;
  @ApiProperty({ type: 'integer', example: 30_720 }) readonly domesticInstalled!: number;
  @ApiProperty({ type: 'integer', example: 17_920 }) readonly foreignInstalled!: number;
  @ApiProperty({ type: 'integer', description: 'Installed chips classified 3A090.a or .b', example: 9_216 }) readonly controlledInstalled!: number;
}

export class FleetMixResponse {
  @ApiProperty({ enum: FLEET_MIX_DIMENSIONS, example: 'country' }) readonly by!: FleetMixDimension;
  @ApiProperty({ type: [FleetMixRowResponse] }) readonly items!: readonly FleetMixRowResponse[];
}
