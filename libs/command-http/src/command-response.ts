import { ApiProperty } from '@nestjs/swagger';
import type { CommandOutcome } from '@chip-ledger/command-side';

export class StreamWriteResponse {
  @ApiProperty({ description: 'A stream written', example: 'chip-stock-dc-johor-2.nvidia-h200' }) streamId!: string;
  @ApiProperty({ description: 'The stream version after this command; send it back as If-Match to guard the next change.', type: 'integer', minimum: 1, example: 7 })
  version!: number;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Ids of the events recorded on that stream', example: ['6f1c2a9e-3b7d-4c55-9a0e-2d8b41f7c310'] })
  eventIds!: string[];
}

/** What every write answers (201 Created). */
export class CommandResponse {
  @ApiProperty({ description: 'The stream the command addressed (the first written).', example: 'chip-stock-dc-gansu-qingyang-1.nvidia-h20' }) streamId!: string;
  @ApiProperty({ description: 'Its version after the command (0 when the fact was already recorded and nothing was written).', type: 'integer', minimum: 0, example: 3 })
  version!: number;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Ids of the events recorded on that stream.', example: ['0b6e8f43-5d0a-4a3f-8f1e-9c7d2b5a4e61'] })
  eventIds!: string[];
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
export function toCommandResponse({ result, targetStreamId: primaryStreamId }: CommandOutcome, position: string | null): CommandResponse {
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
