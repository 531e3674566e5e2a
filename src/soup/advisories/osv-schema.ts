/**
 * Validation of OSV records at import: only what matching and the store need (ossf/osv-schema
 * `validation/schema.json`). Unknown fields pass through untouched; the store keeps the raw record.
 */
import { z } from 'zod';
import type { OsvRecord } from '../osv/types.js';

/**
 * The ecosystem names the OSV schema defines (ossf/osv-schema `ecosystems.json`), case-sensitive.
 * A suffix after the first colon (`Debian:12`, `Maven:https://maven.google.com`) scopes a release or
 * registry and is not part of the name.
 */
export const OSV_ECOSYSTEMS: readonly string[] = [
  'AlmaLinux',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Echo',
  'GHC',
  'GIT',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Kubernetes',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'VSCode',
  'Wolfi',
];

const KNOWN = new Set(OSV_ECOSYSTEMS);

/** `Debian:12` → `Debian`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon >= 0 ? ecosystem.slice(0, colon) : ecosystem;
}

export function isKnownEcosystem(ecosystem: string): boolean {
  return KNOWN.has(ecosystemBase(ecosystem));
}

/** RFC 3339 date-time, as the schema's `format: date-time`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const dateTime = z.string().regex(DATE_TIME, 'not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z)');

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

const event = z
  .looseObject({
    introduced: z.string().optional(),
    fixed: z.string().optional(),
    last_affected: z.string().optional(),
    limit: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const keys = EVENT_KEYS.filter((k) => e[k] !== undefined);
    if (keys.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          keys.length === 0
            ? 'an event needs one of introduced, fixed, last_affected, limit'
            : `an event holds exactly one of introduced, fixed, last_affected, limit (this one has ${keys.join(' and ')})`,
      });
  });

const range = z.looseObject({
  type: z.string().min(1),
  repo: z.string().optional(),
  events: z.array(event).min(1, 'a range needs at least one event'),
});

const severity = z.looseObject({ type: z.string(), score: z.string() });

const pkg = z.looseObject({
  ecosystem: z
    .string()
    .min(1)
    .refine(isKnownEcosystem, {
      error: (i) => `unknown ecosystem "${String(i.input)}" (not an OSV ecosystem)`,
    }),
  name: z.string().min(1),
  purl: z.string().optional(),
});

const affected = z.looseObject({
  package: pkg.optional(),
  severity: z.array(severity).nullish(),
  ranges: z.array(range).nullish(),
  versions: z.array(z.string()).nullish(),
});

const stringList = z.array(z.string()).nullish();

export const osvRecordSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: z.string().min(1, 'empty id'),
  modified: dateTime,
  published: z.string().optional(),
  withdrawn: dateTime.optional(),
  aliases: stringList,
  upstream: stringList,
  related: z.array(z.unknown()).nullish(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(severity).nullish(),
  affected: z.array(affected).nullish(),
});

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const where = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    let got: unknown = value;
    for (const p of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
    const kind =
      got === undefined ? 'missing' : got === null ? 'null' : Array.isArray(got) ? 'array' : typeof got;
    message =
      kind === 'missing'
        ? `required ${issue.expected} is missing`
        : `expected ${issue.expected}, got ${kind}`;
  }
  return where ? `${where}: ${message}` : message;
}

/**
 * JSON.parse reads any depth, but storing a record (JSON.stringify) and reading it back recurse: a
 * record nested 200,000 deep overflowed the stack and ended the whole import in an internal error.
 * The same limit as YAML records (js-yaml's maxDepth).
 */
const MAX_OSV_DEPTH = 100;

/** Whether a parsed value has containers nested more than `limit` deep; iterative, so any depth is safe. */
function nestsDeeperThan(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

export type OsvValidation = { ok: true; record: OsvRecord } | { ok: false; reason: string };

/**
 * Checks a parsed record against the parts of the OSV schema that matching needs. The record is
 * returned as given (not zod's copy), so every field, known or not, reaches the store.
 */
export function validateOsvRecord(value: unknown): OsvValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not an OSV record (expected a JSON/YAML object)' };
  if (nestsDeeperThan(value, MAX_OSV_DEPTH))
    return {
      ok: false,
      reason: `nests deeper than ${MAX_OSV_DEPTH} levels (an OSV record nests about six); not stored`,
    };
  const result = osvRecordSchema.safeParse(value);
  if (result.success) return { ok: true, record: value as OsvRecord };
  const issues = result.error.issues;
  const shown = issues.slice(0, 3).map((i) => describeIssue(i, value));
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return { ok: false, reason: `${shown.join('; ')}${more}` };
}
