/**
 * What the fuzz tests (test/fuzz.test.ts) share: how many inputs to try, valid seed inputs mutated
 * into hostile ones, and the checks every reader must pass on each (no exception, bounded time, the
 * same output twice).
 *
 * `npm test` runs each property a few dozen times. `npm run fuzz` runs them 20,000 times each (heavy
 * ones, such as a SOUP import into a project on disk, proportionally fewer); DOSSIER_FUZZ_RUNS sets
 * the number and DOSSIER_FUZZ_SEED replays a run (fast-check prints the seed of a failure).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';

/** `npm run fuzz` (npm names the script it runs in npm_lifecycle_event). */
export const ON_DEMAND = process.env.npm_lifecycle_event === 'fuzz';
const REQUESTED = Number(process.env.DOSSIER_FUZZ_RUNS ?? (ON_DEMAND ? 20_000 : 0));
const SEED = process.env.DOSSIER_FUZZ_SEED === undefined ? undefined : Number(process.env.DOSSIER_FUZZ_SEED);

/** True when the runs were asked for (npm run fuzz, DOSSIER_FUZZ_RUNS), not the short CI default. */
export const LONG_RUN = REQUESTED > 0;

/** Parameters for fc.assert: `ci` runs in `npm test`; on demand the requested runs divided by `cost`. */
export function runs(ci: number, cost = 1): fc.Parameters<unknown> {
  const numRuns = LONG_RUN ? Math.max(ci, Math.round(REQUESTED / cost)) : ci;
  return { numRuns, ...(SEED === undefined ? {} : { seed: SEED }) };
}

/** Time one input may take a reader, far above what any of these inputs needs (a few ms). */
export const MAX_MS_PER_INPUT = 5_000;

/** A vitest timeout that fits the number of runs: on demand, as long as it takes. */
export const TEST_TIMEOUT = LONG_RUN ? 24 * 60 * 60 * 1000 : 60_000;

/** Calls `read` twice: it must not throw, must finish in bounded time and give the same result. */
export function readTwice<T>(label: string, read: () => T): T {
  const started = performance.now();
  const first = read();
  const ms = performance.now() - started;
  if (ms > MAX_MS_PER_INPUT) throw new Error(`${label}: one input took ${ms.toFixed(0)} ms`);
  const second = read();
  if (!isDeepStrictEqual(first, second)) throw new Error(`${label}: two reads of the same input differ`);
  return first;
}

// ---------------------------------------------------------------------------------------------
// Seeds

export function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (accept(full)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Text that breaks parsers and writers: structure of every format read, escapes, odd characters. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b[2K',
  '\u001b]8;;x\u0007',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udc00',
  '😀',
  'é',
  '"',
  "'",
  '\\',
  '`',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ': ',
  '- ',
  '? ',
  '#',
  ' # c',
  '---',
  '...',
  '|',
  '>-',
  '&a ',
  '*a',
  '<<: *a',
  '!!str ',
  '!!js/function ',
  '%YAML 1.2',
  '<',
  '>',
  '</',
  '/>',
  '&',
  '&amp;',
  '&#0;',
  '&#x1b;',
  '&#xD800;',
  '&bogus;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<!DOCTYPE a [<!ENTITY x "y">]>',
  '<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd">',
  '<xi:include href="file:///etc/passwd"/>',
  '=',
  '==',
  '@',
  '^',
  '~',
  '*',
  '/',
  '../',
  '%2e%2e/',
  'null',
  'true',
  'NO',
  '0',
  '-1',
  '1e400',
  'NaN',
  '0x1F',
  '1.10',
  '2026-13-45',
  '9007199254740993',
  '__proto__',
  'constructor',
  'prototype',
  'SOUP-001',
  'TC-001',
  '[TC-001]',
  'pkg:npm/x@1',
  '$' + '{x}', // a template placeholder, as text
  '{{x}}',
  'a'.repeat(300),
];

/** A string as a reader could hand it over: anything, often hostile. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 6 })), { maxLength: 6 })
    .map((parts) => parts.join('')),
);

/**
 * A project-relative path under `dir` with hostile names, as a file system allows them (any
 * character but NUL and `/` in a name): newlines, quotes, YAML and XML syntax, escapes.
 */
export function hostilePath(dir: string, extension: string): fc.Arbitrary<string> {
  const name = hostileText.map((s) => s.replaceAll('\u0000', '').replaceAll('/', ''));
  return fc
    .array(name, { minLength: 1, maxLength: 3 })
    .map(
      (parts) =>
        `${dir}/${parts.filter((p) => p !== '' && p !== '.' && p !== '..').join('/') || 'x'}${extension}`,
    );
}

type Mutation = (text: string) => string;

const at = (text: string, n: number) => n % (text.length + 1);

function lines(text: string): string[] {
  return text.split('\n');
}

/** One edit of a text: insert, delete, duplicate, replace, swap or repeat lines, truncate. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), hostileText).map(
    ([n, token]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + token + t.slice(at(t, n)),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })).map(
    ([n, length]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + t.slice(at(t, n) + length),
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 400 })).map(
    ([from, to, length]): Mutation =>
      (t) => {
        const piece = t.slice(at(t, from), at(t, from) + length);
        return t.slice(0, at(t, to)) + piece + t.slice(at(t, to));
      },
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 }), fc.string({ unit: 'binary', maxLength: 12 })).map(
    ([n, length, text]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + text + t.slice(at(t, n) + length),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (t) => {
        const l = lines(t);
        const i = a % l.length;
        const j = b % l.length;
        [l[i], l[j]] = [l[j]!, l[i]!];
        return l.join('\n');
      },
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 2, max: 60 })).map(
    ([n, times]): Mutation =>
      (t) => {
        const l = lines(t);
        const i = n % l.length;
        return [...l.slice(0, i), ...Array(times).fill(l[i]), ...l.slice(i + 1)].join('\n');
      },
  ),
  fc.nat().map(
    (n): Mutation =>
      (t) =>
        t.slice(0, at(t, n)),
  ),
);

/**
 * A JSON document with one value replaced (or removed) at a path chosen by `steps`: mutations that
 * keep the document parseable reach the readers' logic instead of their parse errors.
 */
const jsonMutation: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      hostileText,
      fc.constant(undefined),
      fc.integer().map((depth) => nested(Math.abs(depth) % 3000)),
    ),
  )
  .map(
    ([steps, value]): Mutation =>
      (t) => {
        let doc: unknown;
        try {
          doc = JSON.parse(t);
        } catch {
          return t;
        }
        if (typeof doc !== 'object' || doc === null) return t;
        let parent = doc as Record<string, unknown>;
        for (const [i, step] of steps.entries()) {
          const keys = Object.keys(parent);
          if (keys.length === 0) break;
          const key = keys[step % keys.length]!;
          const child = parent[key];
          if (i === steps.length - 1 || typeof child !== 'object' || child === null) {
            if (value === undefined && !Array.isArray(parent)) delete parent[key];
            else parent[key] = value ?? null;
            break;
          }
          parent = child as Record<string, unknown>;
        }
        return JSON.stringify(doc, null, 2);
      },
  );

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Seeds, each changed by one to six mutations (JSON seeds also by structure). */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  if (seeds.length === 0) throw new Error('no seeds');
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.oneof({ arbitrary: mutation, weight: 3 }, { arbitrary: jsonMutation, weight: 1 }), {
        minLength: 1,
        maxLength: 6,
      }),
    )
    .map(([seed, edits]) => edits.reduce((text, edit) => edit(text), seed));
}

/** Bytes of seeds, mutated as text in latin1 (one character a byte), so any byte can come out. */
export function mutatedBytes(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return mutated(seeds.map((s) => s.toString('latin1'))).map((text) => Buffer.from(text, 'latin1'));
}
