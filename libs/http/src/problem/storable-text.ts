/**
 * Text the ledger can store: PostgreSQL refuses U+0000 in `text` and `jsonb`, and an unpaired UTF-16
 * surrogate is not Unicode at all (JSON would carry it as an escape `jsonb` rejects). Such a string in a
 * request would otherwise reach the database and fail there, after validation said yes.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_REASON = 'must not contain U+0000 or unpaired UTF-16 surrogates';

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The path of the first string (value or object key) in `value` that cannot be stored, or null. Paths are
 * written like validation errors' fields: `lines[0].note`; `root` names the value itself.
 */
export function findUnstorableText(value: unknown, root: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : root;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${root}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      const path = root ? `${root}.${key}` : key;
      if (!isStorableText(key)) return path;
      const found = findUnstorableText(member, path);
      if (found) return found;
    }
  }
  return null;
}
