import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthIndicatorResponse {
  @ApiProperty({ description: 'up, or down with a message', example: 'up' }) readonly status!: string;
  @ApiPropertyOptional({ description: 'Why it is down', example: 'no answer within 3000 ms' }) readonly message?: string;
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthIndicatorResponse' },
  example: { database: { status: 'up' } },
} as const;

/** GET /health: Terminus' result and the service's name; 200 `ok` when every check passes, 503 `degraded` (same shape) when not. */
export class HealthResponse {
  @ApiProperty({ description: 'Which service answers', example: 'standalone' }) readonly service!: string;
  @ApiProperty({ enum: ['ok', 'degraded'], example: 'ok' }) readonly status!: 'ok' | 'degraded';
  @ApiProperty({
    type: [String],
    description: 'Each check that does not pass, with why',
    example: ['projection-findings: 6 partition(s) holding 240 unapplied message(s) have no consumer'],
  })
  readonly degraded!: string[];
  @ApiPropertyOptional({ ...INDICATORS, description: 'The dependencies that are up' }) readonly info?: Record<string, HealthIndicatorResponse>;
  @ApiPropertyOptional({ ...INDICATORS, description: 'The dependencies that are down', example: {} }) readonly error?: Record<string, HealthIndicatorResponse>;
  @ApiProperty({ ...INDICATORS, description: 'Every dependency by name (database, kafka, relays, projections, ...)' }) readonly details!: Record<string, HealthIndicatorResponse>;
}

/** GET /health/live. */
export class LivenessResponse {
  @ApiProperty({ description: 'Which service answers', example: 'standalone' }) readonly service!: string;
  @ApiProperty({ enum: ['ok'], example: 'ok' }) readonly status!: 'ok';
}
