import { formatPositionPart, highestHeads, ledgerPositionToken, parsePositionToken, PositionSigner, positionToken, type LedgerPositionPart } from './position-token';

describe('read-your-writes position tokens', () => {
  const signer = new PositionSigner('a-secret-long-enough-for-the-test');
  const heads = new Map([
    ['procurement', 1234],
    ['rental', 56],
    ['audit', 0],
  ]);

  describe('the ledger form (the heads of every context store)', () => {
    it('is small whatever the write touched, signed for the writer organisation, and parses back', () => {
      const token = ledgerPositionToken(heads, (h) => signer.signHeads('org-a', h));
      expect(token).toMatch(/^p:1234\.r:56\.a:0~[A-Za-z0-9_-]{22}$/);
      const [part] = parsePositionToken(token) ?? [];
      expect(part).toMatchObject({ kind: 'ledger' });
      expect([...(part as LedgerPositionPart).heads]).toEqual([...heads]);
      expect(signer.verify('org-a', part)).toBe(true);
      expect(formatPositionPart(part)).toBe(token);
    });

    it('does not verify for another organisation, other heads, another key, or unsigned', () => {
      const [part] = parsePositionToken(ledgerPositionToken(heads, (h) => signer.signHeads('org-a', h))) as LedgerPositionPart[];
      expect(signer.verify('org-b', part)).toBe(false);
      expect(signer.verify('org-a', { ...part, heads: new Map([...heads, ['procurement', 1235]]) })).toBe(false);
      expect(new PositionSigner('another-secret-long-enough-too').verify('org-a', part)).toBe(false);
      expect(signer.verify('org-a', { ...part, signature: null })).toBe(false);
    });

    it('combines several writes as the highest head per context', () => {
      const parts = parsePositionToken('p:10.r:5.a:0,p:12.r:3.a:1') as LedgerPositionPart[];
      expect([...highestHeads(parts)]).toEqual([
        ['procurement', 12],
        ['rental', 5],
        ['audit', 1],
      ]);
    });
  });

  describe('the deprecated stream form', () => {
    const streams = [
      { streamId: 'chip-stock-dc-1.nvidia-h20', version: 3 },
      { streamId: 'chip-stock-dc-2.nvidia-h20', version: 7 },
    ];

    it('signs each stream for the writer organisation and parses back', () => {
      const token = positionToken(streams, (streamId, version) => signer.sign('org-a', streamId, version)) as string;
      const parts = parsePositionToken(token);
      expect(parts?.map((p) => (p.kind === 'stream' ? [p.streamId, p.version] : null))).toEqual([
        ['chip-stock-dc-1.nvidia-h20', 3],
        ['chip-stock-dc-2.nvidia-h20', 7],
      ]);
      expect(parts?.every((part) => signer.verify('org-a', part))).toBe(true);
    });

    it('does not verify for another organisation, another version, another key, or unsigned', () => {
      const [part] = parsePositionToken(positionToken(streams.slice(0, 1), (s, v) => signer.sign('org-a', s, v)) as string) ?? [];
      expect(signer.verify('org-b', part)).toBe(false);
      expect(signer.verify('org-a', { ...part, version: 4 } as typeof part)).toBe(false);
      expect(new PositionSigner('another-secret-long-enough-too').verify('org-a', part)).toBe(false);
      expect(signer.verify('org-a', { kind: 'stream', streamId: 'chip-stock-dc-1.nvidia-h20', version: 3, signature: null })).toBe(false);
    });

    it('a ledger signature is not a stream signature', () => {
      const [ledger] = parsePositionToken(ledgerPositionToken(heads, (h) => signer.signHeads('org-a', h))) as LedgerPositionPart[];
      expect(signer.verify('org-a', { kind: 'stream', streamId: 'p', version: 1234, signature: ledger.signature })).toBe(false);
    });
  });

  it('refuses what no write answers', () => {
    for (const bad of ['', 'garbage', 'x@', '@3', 'x@1234567890', 'p:1.p:2', 'z:1', 'p:', 'p:1..r:2', 'p:1234567890123456'])
      expect(parsePositionToken(bad)).toBeNull();
  });
});
