import type { ValuePath } from '../diagnostics/diagnostic.js';

/** Paths into parsed YAML values and into zod schemas, for locating and explaining schema errors. */

/** The value at `path` inside parsed YAML, or undefined when the path does not exist. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

interface SchemaInternals {
  shape?: Record<string, unknown>;
  _zod?: { def?: { innerType?: unknown; element?: unknown } };
}

/** The field names the schema allows at `path`, for "did you mean" on nested mappings too. */
export function keysAt(schema: unknown, path: ValuePath): string[] {
  const unwrap = (s: unknown): SchemaInternals | undefined => {
    let current = s as SchemaInternals | undefined;
    while (current?._zod?.def?.innerType) current = current._zod.def.innerType as SchemaInternals;
    return current;
  };
  let current = unwrap(schema);
  for (const segment of path) {
    if (typeof segment === 'string' && current?.shape) current = unwrap(current.shape[segment]);
    else if (typeof segment === 'number' && current?._zod?.def?.element)
      current = unwrap(current._zod.def.element);
    else return [];
  }
  return current?.shape ? Object.keys(current.shape) : [];
}
