import { ApiProperty } from '@nestjs/swagger';
import type { AppendResult } from '@chip-ledger/event-store';
import { positionToken } from '@chip-ledger/http';

export class StreamWriteResponse {
  @ApiProperty({ example: 'chip-stock-dc-gansu-1.nvidia-h20' }) streamId!: string;
  @ApiProperty({ description: 'The stream version after this command; send it back as If-Match to guard the next change.', example: 3 })
  version!: number;
  @ApiProperty({ type: [String], format: 'uuid' }) eventIds!: string[];
}

/** What every write answers (201 Created). */
export class CommandResponse {
  @ApiProperty({ description: 'The stream the command addressed (the first written).' }) streamId!: string;
  @ApiProperty({ description: 'Its version after the command.' }) version!: number;
  @ApiProperty({ type: [String], description: 'Ids of the events recorded on that stream.' }) eventIds!: string[];
  @ApiProperty({ type: [StreamWriteResponse], description: 'Every stream written (a transfer writes two).' }) streams!: StreamWriteResponse[];
  @ApiProperty({
    description:
      "Read-your-writes token: pass it to the query API (`?after=`) to wait until the projections have applied this write. It lists every stream written at its new version, signed for the writer's organisation ('<streamId>@<version>~<signature>', comma-separated); tokens of several writes may be joined with commas.",
    nullable: true,
    type: String,
    example: 'chip-stock-dc-gansu-1.nvidia-h20@3~q2nJ9dZ0o4kU8bYv1xT3Lw',
  })
  position!: string | null;
}

export function toCommandResponse(result: AppendResult | null, primaryStreamId: string, sign?: (streamId: string, version: number) => string): CommandResponse {
  if (!result) return { streamId: primaryStreamId, version: 0, eventIds: [], streams: [], position: null };
  const primary = result.streams.find((s) => s.streamId === primaryStreamId) ?? result.streams[0];
  return {
    streamId: primary?.streamId ?? primaryStreamId,
    version: primary?.version ?? 0,
    eventIds: [...(primary?.eventIds ?? [])],
    streams: result.streams.map((s) => ({ streamId: s.streamId, version: s.version, eventIds: [...s.eventIds] })),
    position: positionToken(result.streams, sign),
  };
}
