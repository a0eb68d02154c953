import { parsePositionToken, PositionSigner, positionToken } from './position-token';

describe('read-your-writes position tokens', () => {
  const signer = new PositionSigner('a-secret-long-enough-for-the-test');
  const streams = [
    { streamId: 'chip-stock-dc-1.nvidia-h20', version: 3 },
    { streamId: 'chip-stock-dc-2.nvidia-h20', version: 7 },
  ];

  it('signs each stream for the writer organisation and parses back', () => {
    const token = positionToken(streams, (streamId, version) => signer.sign('org-a', streamId, version)) as string;
    const parts = parsePositionToken(token);
    expect(parts?.map((p) => [p.streamId, p.version])).toEqual([
      ['chip-stock-dc-1.nvidia-h20', 3],
      ['chip-stock-dc-2.nvidia-h20', 7],
    ]);
    expect(parts?.every((part) => signer.verify('org-a', part))).toBe(true);
  });

  it('does not verify for another organisation, another version, another key, or unsigned', () => {
    const [part] = parsePositionToken(positionToken(streams.slice(0, 1), (s, v) => signer.sign('org-a', s, v)) as string) ?? [];
    expect(signer.verify('org-b', part)).toBe(false);
    expect(signer.verify('org-a', { ...part, version: 4 })).toBe(false);
    expect(new PositionSigner('another-secret-long-enough-too').verify('org-a', part)).toBe(false);
    expect(signer.verify('org-a', { streamId: 'chip-stock-dc-1.nvidia-h20', version: 3, signature: null })).toBe(false);
  });

  it('refuses what no write answers', () => {
    for (const bad of ['', 'garbage', 'x@', '@3', 'x@3~short', 'x@1234567890']) expect(parsePositionToken(bad)).toBeNull();
  });
});
