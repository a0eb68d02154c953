import { findUnstorableText, isStorableText } from './storable-text';

describe('storable text', () => {
  it('accepts ordinary text, emoji (surrogate pairs) and other control characters', () => {
    expect(isStorableText('Gansu 1 — 甘肃 🚀\t\n')).toBe(true);
    expect(isStorableText('')).toBe(true);
  });

  it('refuses U+0000 and unpaired surrogates, leading or trailing', () => {
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\uD800')).toBe(false);
    expect(isStorableText('x\uDC00')).toBe(false);
    expect(isStorableText('\uD83D\uDE80\uD800')).toBe(false);
    expect(isStorableText('\uDE80\uD83D')).toBe(false);
  });

  it('names the first offending value or key by its path', () => {
    expect(findUnstorableText({ name: 'ok', lines: [{ note: 'fine' }, { note: 'bad\u0000' }] }, '')).toBe('lines[1].note');
    expect(findUnstorableText({ ['k\uD800']: 1 }, '')).toBe('k\uD800');
    expect(findUnstorableText('\u0000', 'dataCenterId')).toBe('dataCenterId');
    expect(findUnstorableText({ a: [1, true, null, 'ok'] }, '')).toBeNull();
  });
});
