/**
 * Keys that name JavaScript's object machinery. JSON.parse keeps `{"__proto__": ...}` as an own key, but code
 * copying the body into an object (class-transformer, a spread, `Object.assign`) may set a prototype instead
 * of a field, or shadow `constructor`: no field of this API has such a name, so a body using one is refused.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const RESERVED_KEY_REASON = 'is a reserved name (__proto__, constructor and prototype are never fields)';

/** The path of the first reserved key in `value` (at any depth), or null. Paths are written like validation errors' fields. */
export function findReservedKey(value: unknown, root: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findReservedKey(value[i], `${root}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const path = root ? `${root}.${key}` : key;
      if (RESERVED_KEYS.has(key)) return path;
      const found = findReservedKey((value as Record<string, unknown>)[key], path);
      if (found !== null) return found;
    }
  }
  return null;
}
