import { ApiProperty } from '@nestjs/swagger';
import type { AppendResult } from '@chip-ledger/event-store';

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
      "Read-your-writes token: pass it to the query API (`?after=` or `X-Ledger-Position`) to wait until the read models include this write and every fact recorded before it, in any context. It is the position of every context's event store when the write had committed (procurement, rental, audit), signed for the writer's organisation: 'p:<n>.r:<n>.a:<n>~<signature>', the same size whatever the write touched. Tokens of several writes may be joined with commas.",
    nullable: true,
    type: String,
    example: 'p:1234.r:56.a:7~q2nJ9dZ0o4kU8bYv1xT3Lw',
  })
  position!: string | null;
}

/** `position`: the read-your-writes token (ADR 0019), null when the service reads no ledger heads. */
export function toCommandResponse(result: AppendResult | null, primaryStreamId: string, position: string | null): CommandResponse {
  if (!result) return { streamId: primaryStreamId, version: 0, eventIds: [], streams: [], position };
  const primary = result.streams.find((s) => s.streamId === primaryStreamId) ?? result.streams[0];
  return {
    streamId: primary?.streamId ?? primaryStreamId,
    version: primary?.version ?? 0,
    eventIds: [...(primary?.eventIds ?? [])],
    streams: result.streams.map((s) => ({ streamId: s.streamId, version: s.version, eventIds: [...s.eventIds] })),
    position,
  };
}
