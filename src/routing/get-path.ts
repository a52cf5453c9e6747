/**
 * The value at a dotted path (`destination.name`) of an event view. Only own properties are
 * read, so a rule cannot reach `constructor` or `__proto__`. Through an array, a name segment
 * collects that field of every element (`files.url`), a number segment picks one element.
 */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(seg)) {
        cur = cur[Number(seg)];
        continue;
      }
      const picked = cur.map((el) => own(el, seg)).filter((v) => v !== undefined);
      cur = picked.length > 0 ? picked.flat() : undefined;
      continue;
    }
    cur = own(cur, seg);
  }
  return cur;
}

function own(v: unknown, key: string): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
}
