/**
 * Canonical JSON: `JSON.stringify` semantics with object keys sorted by UTF-16 code units and no whitespace
 * (for the JSON values events carry this is RFC 8785, JCS). The hash chain depends on it, so it refuses
 * values JSON would silently change (NaN, Infinity, bigint) instead of hashing something else than is stored.
 */
export function canonicalJson(value: unknown): string {
  const encoded = encode(value, '$');
  if (encoded === undefined) throw new TypeError('canonicalJson: the value itself is not JSON (undefined, a function or a symbol)');
  return encoded;
}

function encode(value: unknown, path: string): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    // Dates (and anything else with toJSON) are encoded as JSON.stringify would, so the stored jsonb reads back equal.
    return encode((value as { toJSON: () => unknown }).toJSON(), path);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError(`canonicalJson: ${path} is a bigint; encode it as a string`);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  if (Array.isArray(value)) {
    // As in JSON.stringify, an array slot holding undefined becomes null.
    return `[${value.map((item, i) => encode(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = encode(record[key], `${path}.${key}`);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}
