import type { AppendResult } from '@chip-ledger/event-store';
import { readIfMatch } from './command-context';
import { toCommandResponse } from './command-response';

describe('If-Match', () => {
  it.each([['3', 3], ['"3"', 3], ['W/"12"', 12], [' 7 ', 7]])('%s is version %i', (header, version) => {
    expect(readIfMatch({ 'if-match': header })).toBe(version);
  });

  it('is null when absent', () => {
    expect(readIfMatch({})).toBeNull();
  });

  it.each(['*', 'abc', '3, 4', '1234567890', ''])('refuses %p with a 400 naming the header', (header) => {
    expect(() => readIfMatch({ 'if-match': header })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400, code: 'REQUEST.INVALID_IF_MATCH', field: 'If-Match' }) }));
  });
});

describe('the answer to a command', () => {
  const append: AppendResult = {
    position: 9,
    recordedAt: '2025-11-05T00:00:00.000Z',
    replayed: false,
    streams: [
      { streamId: 'chip-stock-dc-a.h20', version: 4, eventIds: ['e1'], globalPositions: [8] },
      { streamId: 'chip-stock-dc-b.h20', version: 2, eventIds: ['e2'], globalPositions: [9] },
    ],
  };

  it('names the addressed stream first, and every stream written', () => {
    const response = toCommandResponse({ targetStreamId: 'chip-stock-dc-b.h20', result: append }, 'p:1.r:0.a:0');
    expect(response).toEqual({
      streamId: 'chip-stock-dc-b.h20',
      version: 2,
      eventIds: ['e2'],
      streams: [
        { streamId: 'chip-stock-dc-a.h20', version: 4, eventIds: ['e1'] },
        { streamId: 'chip-stock-dc-b.h20', version: 2, eventIds: ['e2'] },
      ],
      position: 'p:1.r:0.a:0',
    });
  });

  it('is version 0 with nothing written when the fact was already recorded', () => {
    expect(toCommandResponse({ targetStreamId: 'audit-x', result: null }, null)).toEqual({ streamId: 'audit-x', version: 0, eventIds: [], streams: [], position: null });
  });
});
