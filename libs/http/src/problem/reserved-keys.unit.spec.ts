import { findReservedKey } from './reserved-keys';

describe('reserved keys', () => {
  it('names __proto__, constructor and prototype wherever they are, as JSON.parse leaves them (own keys)', () => {
    expect(findReservedKey(JSON.parse('{"a":1,"__proto__":{"admin":true}}'), '')).toBe('__proto__');
    expect(findReservedKey(JSON.parse('{"lines":[{"q":1},{"constructor":{}}]}'), '')).toBe('lines[1].constructor');
    expect(findReservedKey(JSON.parse('{"changes":{"prototype":1}}'), '')).toBe('changes.prototype');
    expect(findReservedKey({ after: 'x', constructor: 'y' }, 'query')).toBe('query.constructor');
  });

  it('passes ordinary bodies, including values that merely mention those words', () => {
    expect(findReservedKey({ reason: '__proto__', tags: ['constructor'], nested: { ok: [1, null, true] } }, '')).toBeNull();
    expect(findReservedKey('prototype', 'name')).toBeNull();
  });
});
