// A newer Shimmy may have written fields this version does not know. The schema drops them when it
// parses, so every write puts them back from the file as it was read: a config survives being
// opened by an older version. Only keys the schema does not know are carried over — a known
// optional field that a change removed stays removed.
import type { z } from 'zod';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;

/** Array items are matched by what names them (a tool's name, a token's id), else by position. */
function identity(item: unknown, index: number): string {
  if (!isPlain(item)) return `#${index}`;
  for (const k of ['name', 'id', 'pattern']) if (typeof item[k] === 'string') return `${k}:${item[k]}`;
  return `#${index}`;
}

/** `next` (schema-shaped) with every unknown key of `previous` (as last read or written) restored. */
export function withUnknownFields(schema: z.ZodType, previous: unknown, next: unknown): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return def.innerType ? withUnknownFields(def.innerType, previous, next) : next;
    case 'object': {
      if (!isPlain(previous) || !isPlain(next) || !def.shape) return next;
      const out: Plain = { ...next };
      for (const [k, v] of Object.entries(previous)) {
        const known = def.shape[k];
        if (!known) out[k] = v;
        else if (k in next) out[k] = withUnknownFields(known, v, next[k]);
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(previous) || !Array.isArray(next) || !def.element) return next;
      const before = new Map(previous.map((item, i) => [identity(item, i), item]));
      const element = def.element;
      return next.map((item, i) => {
        const match = before.get(identity(item, i));
        return match === undefined ? item : withUnknownFields(element, match, item);
      });
    }
    case 'record': {
      if (!isPlain(previous) || !isPlain(next) || !def.valueType) return next;
      const valueType = def.valueType;
      const out: Plain = { ...next };
      for (const k of Object.keys(next))
        if (k in previous) out[k] = withUnknownFields(valueType, previous[k], next[k]);
      return out;
    }
    default:
      return next;
  }
}
