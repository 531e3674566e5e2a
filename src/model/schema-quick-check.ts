/**
 * A quick yes for the record schemas: a check compiled once from a zod schema's definition that
 * says "passes" only for a value the schema itself passes, and otherwise "ask zod". The loader asks
 * it first and runs the zod schema only when it does not say yes, so a valid record costs a few
 * property tests instead of zod's parse, and an invalid one gets zod's own issues, word for word.
 *
 * Why: on a cold `check`, zod's parse of every record was the largest cost of the loader after
 * reading and YAML (about 0.4 s of 2.2 s on 10,000 records).
 *
 * Soundness is all that matters here, so the check is never more lenient than zod: it knows only
 * the schema types and checks the record schemas are built from (strings with length and pattern
 * checks, numbers with bounds and integer checks, booleans, enums, literals, arrays, unions,
 * optional, nullable and default wrappers, strict, stripping and loose objects); any other type or
 * check (a refinement, a transform, a format it does not know) is handed to zod for that value
 * alone, so its answer is zod's. It may say "ask zod" where zod passes (a required key written as
 * undefined, an object with an unusual prototype): that only costs time. test/schema-quick-check
 * .test.ts compares both on every example record and on thousands of mutated ones.
 */
import type { z } from 'zod';

/** True only when the schema it was compiled from passes the value. */
export type QuickCheck = (value: unknown) => boolean;

const compiled = new WeakMap<object, QuickCheck>();

/** The quick check of `schema`, compiled on first use. */
export function quickCheckOf(schema: z.ZodType): QuickCheck {
  let check = compiled.get(schema);
  if (!check) {
    check = compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/** The parts of zod's definitions read here (zod 4's `_zod.def`; anything else is handed to zod). */
interface Definition {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDefinition } }[];
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: z.ZodType;
  readonly entries?: Readonly<Record<string, unknown>>;
  readonly values?: readonly unknown[];
}

interface CheckDefinition {
  readonly check: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly length?: unknown;
  readonly format?: string;
  readonly pattern?: unknown;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly when?: unknown;
}

const definitionOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Definition } })._zod.def;

/** Zod's own answer: for the types and checks not compiled. */
const askZod =
  (schema: z.ZodType): QuickCheck =>
  (value) =>
    schema.safeParse(value).success;

/**
 * The definition keys of each compiled type (besides `type`, `checks` and `error`). A definition
 * with any other key is handed to zod: a string with a `format` (an e-mail address, a date) checks
 * itself, a union with a discriminator behaves otherwise, a coerced value is converted first.
 */
const COMPILED_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    string: [],
    number: [],
    boolean: [],
    null: [],
    unknown: [],
    any: [],
    optional: ['innerType'],
    nullable: ['innerType'],
    default: ['innerType', 'defaultValue'],
    enum: ['entries'],
    literal: ['values'],
    array: ['element'],
    union: ['options'],
    object: ['shape', 'catchall'],
  }).map(([type, keys]) => [type, new Set(['type', 'checks', 'error', ...keys])]),
);

/**
 * Whether the schema is of the zod core class of its type (`$ZodString` for `string`; an object may
 * be compiled to `$ZodObjectJIT`), and of no subclass: a subclass has the definition of its type but
 * may parse otherwise (`exactOptional()` is an optional that refuses undefined). Its other traits
 * are zod's classic API.
 */
function isCompiledClass(schema: z.ZodType, type: string): boolean {
  const own = `$Zod${type[0]!.toUpperCase()}${type.slice(1)}`;
  const traits = (schema as unknown as { _zod: { traits: ReadonlySet<string> } })._zod.traits;
  for (const trait of traits) {
    if (!trait.startsWith('$') || trait === '$ZodType' || trait === own) continue;
    if (!(type === 'object' && trait === '$ZodObjectJIT')) return false;
  }
  return traits.has(own);
}

function compile(schema: z.ZodType): QuickCheck {
  const def = definitionOf(schema);
  const keys = COMPILED_KEYS.get(def.type);
  if (!keys || Object.keys(def).some((key) => !keys.has(key)) || !isCompiledClass(schema, def.type))
    return askZod(schema);
  const checks = compileChecks(def.checks ?? []);
  if (checks === undefined) return askZod(schema);
  const base = compileType(schema, def);
  if (checks.length === 0) return base;
  return (value) => base(value) && checks.every((check) => check(value));
}

function compileType(schema: z.ZodType, def: Definition): QuickCheck {
  switch (def.type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'null':
      return (value) => value === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'optional':
    case 'default': {
      const inner = compile(def.innerType!);
      return (value) => value === undefined || inner(value);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'enum':
    case 'literal': {
      // Zod's own set of the allowed values: a native enum's entries hold its reverse mapping too.
      const allowed = (schema as unknown as { _zod: { values?: ReadonlySet<unknown> } })._zod.values;
      if (!allowed) return askZod(schema);
      return (value) => allowed.has(value);
    }
    case 'array': {
      const element = compile(def.element!);
      // By index, as zod reads it: a hole in a sparse array is an undefined item, which `every` skips.
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
        return true;
      };
    }
    case 'union': {
      const options = (def.options ?? []).map(compile);
      return (value) => options.some((option) => option(value));
    }
    case 'object':
      // Zod reads a shape's symbol keys too; the check knows string keys only.
      if (Object.getOwnPropertySymbols(def.shape ?? {}).length > 0) return askZod(schema);
      return compileObject(def);
    default:
      return askZod(schema);
  }
}

/** The built-in checks as predicates; undefined when one is not known (then zod checks the value). */
function compileChecks(checks: Definition['checks'] & object): QuickCheck[] | undefined {
  const compiledChecks: QuickCheck[] = [];
  for (const check of checks) {
    const def = check._zod.def;
    // A conditional check runs depending on earlier issues: zod's business.
    if (def.when !== undefined) return undefined;
    const compiledCheck = compileCheck(def);
    if (!compiledCheck) return undefined;
    compiledChecks.push(compiledCheck);
  }
  return compiledChecks;
}

function compileCheck(def: CheckDefinition): QuickCheck | undefined {
  const lengthOf = (value: unknown) => (value as { length: number }).length;
  switch (def.check) {
    case 'min_length':
      return typeof def.minimum === 'number'
        ? (value) => lengthOf(value) >= (def.minimum as number)
        : undefined;
    case 'max_length':
      return typeof def.maximum === 'number'
        ? (value) => lengthOf(value) <= (def.maximum as number)
        : undefined;
    case 'length_equals':
      return typeof def.length === 'number' ? (value) => lengthOf(value) === def.length : undefined;
    case 'string_format': {
      if (def.format !== 'regex' || !(def.pattern instanceof RegExp)) return undefined;
      const pattern = def.pattern;
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    }
    case 'greater_than': {
      const bound = def.value;
      if (typeof bound !== 'number') return undefined;
      return def.inclusive ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
    }
    case 'less_than': {
      const bound = def.value;
      if (typeof bound !== 'number') return undefined;
      return def.inclusive ? (value) => (value as number) <= bound : (value) => (value as number) < bound;
    }
    case 'number_format':
      return def.format === 'safeint' ? (value) => Number.isSafeInteger(value) : undefined;
    default:
      return undefined;
  }
}

/**
 * An object: a plain mapping whose every key of the shape passes (a key that is not optional must
 * be there), and whose other keys are refused (strict), ignored (stripping) or checked (catch-all).
 */
function compileObject(def: Definition): QuickCheck {
  const shape = def.shape ?? {};
  const fields = new Map<string, QuickCheck>();
  const optional = new Set<string>();
  for (const [key, field] of Object.entries(shape)) {
    fields.set(key, compile(field));
    const type = definitionOf(field).type;
    if (type === 'optional' || type === 'default') optional.add(key);
  }
  const catchallType = def.catchall ? definitionOf(def.catchall).type : undefined;
  const other: QuickCheck | 'strip' =
    def.catchall === undefined ? 'strip' : catchallType === 'never' ? () => false : compile(def.catchall);
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return false;
    const record = value as Record<string, unknown>;
    // Every key of the shape, as zod reads it (`record[key]`, present when `key in record`): an
    // inherited `toString` or a non-enumerable own key is read by zod too.
    for (const [key, field] of fields) {
      if (Object.hasOwn(record, key)) {
        if (!field(record[key])) return false;
      } else if (key in record || !optional.has(key)) return false;
    }
    if (other === 'strip') return true;
    // The other keys, as zod's catch-all finds them.
    for (const key in record) if (!fields.has(key) && !other(record[key])) return false;
    return true;
  };
}
