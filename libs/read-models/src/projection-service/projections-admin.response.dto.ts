import { ApiProperty } from '@nestjs/swagger';
import type { DeadLetterRecord, RebuildProgress } from '@chip-ledger/projection';

export class RebuildProgressResponse implements RebuildProgress {
  @ApiProperty({ example: 'findings' }) readonly projection!: string;
  @ApiProperty({ type: 'integer', description: 'Generation number; a rebuild creates the next one', example: 3 }) readonly generation!: number;
  @ApiProperty({ enum: ['building', 'active', 'retired'], description: 'A building generation becomes active when caught up; reads switch to it then', example: 'building' })
  readonly state!: 'building' | 'active' | 'retired';
  @ApiProperty({ type: 'integer', description: 'Messages (Kafka) or events (PostgreSQL log) read so far', example: 412_000 }) readonly done!: number;
  @ApiProperty({ type: 'integer', description: "The log's size when the rebuild started", example: 1_000_000 }) readonly total!: number;
  @ApiProperty({ description: 'Events per second since the rebuild started', example: 13_100.5 }) readonly rate!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds left at that rate; null before anything was read; 0 when done', example: 44.9 }) readonly etaSeconds!: number | null;
  @ApiProperty({ example: '2026-02-03T09:12:00.000Z' }) readonly startedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'When it became the active generation', example: null }) readonly activatedAt!: string | null;
}

export class DeadLetterResponse implements DeadLetterRecord {
  @ApiProperty({ example: '17' }) readonly id!: string;
  @ApiProperty({ example: 'chip-mix' }) readonly projection!: string;
  @ApiProperty({ type: 'integer', example: 2 }) readonly generation!: number;
  @ApiProperty({ description: 'Kafka topic, or the PostgreSQL log', example: 'chipledger.procurement.v1' }) readonly topic!: string;
  @ApiProperty({ type: 'integer', example: 4 }) readonly partition!: number;
  @ApiProperty({ description: 'Offset of the message (a decimal string: Kafka offsets are 64-bit)', example: '18342' }) readonly offset!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'null when the message could not be decoded', example: '5e0c7b1a-9d2f-4a8e-b3c6-1f4d7e9a2b5c' }) readonly eventId!: string | null;
  @ApiProperty({ description: 'Why the engine gave up on it', example: 'EVENT.UNSUPPORTED_SCHEMA_VERSION: ChipsDelivered schema version 3 is not supported' }) readonly error!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The message value as received (UTF-8), to replay once fixed', example: '{"type":"ChipsDelivered","schemaVersion":3}' }) readonly payload!: string | null;
  @ApiProperty({ example: '2026-02-03T09:15:27.120Z' }) readonly createdAt!: string;
}
