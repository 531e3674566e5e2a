/**
 * FDA support information from an SBOM (premarket cybersecurity guidance §V.A.4(b): level of
 * support, end-of-support date) as SOUP record fields, with the source named.
 *
 * SBOMs write these as `cdx:fda:level-of-support` / `cdx:fda:end-of-support-date` (the CycloneDX
 * property taxonomy), as informal properties real device SBOMs carry ("Level of Support",
 * "End-of-Support"), or as SPDX `validUntilDate`. Values are mapped into the record vocabulary only
 * where the meaning is plain; anything else is not guessed: the field stays empty (so `check` keeps
 * asking for it) and what the SBOM said is kept in `supportJustification`. `supportSource` names the
 * file and the properties the values came from.
 */

import type { DossierRecord } from '../../model/record.js';
import { SUPPORT_LEVELS } from '../../model/vocabulary.js';
import { isCalendarDate } from '../../util/calendar-date.js';
import type { ImportedComponent, SbomComponent } from '../import/types.js';
import type { FieldEdit } from './plan.js';

type SupportLevel = (typeof SUPPORT_LEVELS)[number];

/** Words SBOMs use for a level of support (lower case, letters and single spaces) → record value. */
const LEVEL_WORDS: ReadonlyMap<string, SupportLevel> = new Map([
  ['actively maintained', 'actively-maintained'],
  ['active', 'actively-maintained'],
  ['maintained', 'actively-maintained'],
  ['supported', 'actively-maintained'],
  ['actively supported', 'actively-maintained'],
  ['no longer maintained', 'no-longer-maintained'],
  ['not maintained', 'no-longer-maintained'],
  ['unmaintained', 'no-longer-maintained'],
  ['inactive', 'no-longer-maintained'],
  ['unsupported', 'no-longer-maintained'],
  ['not supported', 'no-longer-maintained'],
  ['no longer supported', 'no-longer-maintained'],
  ['end of life', 'no-longer-maintained'],
  ['eol', 'no-longer-maintained'],
  ['deprecated', 'no-longer-maintained'],
  ['abandoned', 'abandoned'],
  ['unknown', 'unknown'],
]);

type SupportField = 'supportLevel' | 'endOfSupport' | 'supportJustification';

export interface SupportFields {
  supportLevel?: SupportLevel;
  endOfSupport?: string;
  supportJustification?: string;
  supportSource?: string;
}

/** What an SBOM says about support, as record values, and which of its properties each came from. */
interface SupportReading {
  readonly values: Partial<Record<SupportField, string>>;
  readonly origins: Partial<Record<SupportField, readonly string[]>>;
  readonly kind: 'property' | 'field';
}

function levelOf(text: string): SupportLevel | undefined {
  return LEVEL_WORDS.get(
    text
      .toLowerCase()
      .replace(/[^a-z]+/g, ' ')
      .trim(),
  );
}

/** YYYY-MM-DD (a timestamp's date part) when it is a real calendar date. */
function dateOf(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text.trim());
  return m && isCalendarDate(m[1]!) ? m[1] : undefined;
}

function readSupport(component: ImportedComponent): SupportReading | undefined {
  const c = component as SbomComponent;
  const from = c.supportFrom;
  if (!from) return undefined;
  const values: Partial<Record<SupportField, string>> = {};
  const origins: Partial<Record<SupportField, string[]>> = {};
  const notes: string[] = [];
  const justifiedBy: string[] = [];
  const name = (field: SupportField) => from[field] ?? field;
  if (c.supportLevel !== undefined) {
    const level = levelOf(c.supportLevel);
    if (level) {
      values.supportLevel = level;
      origins.supportLevel = [name('supportLevel')];
    } else {
      notes.push(
        `The SBOM gives "${name('supportLevel')}" as "${c.supportLevel}", which is not a level Dossier records (${SUPPORT_LEVELS.join(', ')}).`,
      );
      justifiedBy.push(name('supportLevel'));
    }
  }
  if (c.endOfSupport !== undefined) {
    const date = dateOf(c.endOfSupport);
    if (date) {
      values.endOfSupport = date;
      origins.endOfSupport = [name('endOfSupport')];
    } else {
      notes.push(`The SBOM gives "${name('endOfSupport')}" as "${c.endOfSupport}", which is not a date.`);
      justifiedBy.push(name('endOfSupport'));
    }
  }
  if (c.supportJustification !== undefined) {
    notes.push(c.supportJustification);
    justifiedBy.push(name('supportJustification'));
  }
  if (notes.length > 0) {
    values.supportJustification = notes.join(' ');
    origins.supportJustification = justifiedBy;
  }
  return { values, origins, kind: from.kind };
}

/** `file: SBOM properties "a", "b"` for the fields given, in the order level, end, justification. */
function describeSource(source: string, reading: SupportReading, fields: readonly SupportField[]): string {
  const names = [
    ...new Set(
      (['supportLevel', 'endOfSupport', 'supportJustification'] as const)
        .filter((f) => fields.includes(f))
        .flatMap((f) => reading.origins[f] ?? []),
    ),
  ];
  const noun =
    reading.kind === 'field'
      ? names.length === 1
        ? 'field'
        : 'fields'
      : names.length === 1
        ? 'property'
        : 'properties';
  return `${source}: SBOM ${noun} ${names.map((n) => `"${n}"`).join(', ')}`;
}

/** The support fields of a new record: everything the SBOM says, with its source. */
export function supportFields(component: ImportedComponent, source: string): SupportFields {
  const reading = readSupport(component);
  if (!reading) return {};
  const fields = Object.keys(reading.values) as SupportField[];
  if (fields.length === 0) return {};
  return {
    ...(reading.values as SupportFields),
    supportSource: describeSource(source, reading, fields),
  };
}

/**
 * Edits that bring an existing record's support fields in line with the SBOM. People's values are
 * never replaced: a field is filled only when the record has none, unless the record's
 * `supportSource` says its values came from this same file, in which case they follow the file.
 */
export function supportEdits(
  fields: DossierRecord['fields'],
  component: ImportedComponent,
  source: string,
): FieldEdit[] {
  const reading = readSupport(component);
  if (!reading) return [];
  const recorded = typeof fields.supportSource === 'string' ? fields.supportSource : undefined;
  const owned = recorded?.startsWith(`${source}: `) === true;
  const edits: FieldEdit[] = [];
  const filled: SupportField[] = [];
  for (const field of ['supportLevel', 'endOfSupport', 'supportJustification'] as const) {
    const value = reading.values[field];
    if (value === undefined) continue;
    if (owned) filled.push(field);
    if (fields[field] === undefined || (owned && fields[field] !== value)) {
      edits.push({ field, value });
      if (!owned) filled.push(field);
    }
  }
  if (filled.length === 0) return edits;
  const described = describeSource(source, reading, filled);
  const supportSource = owned || !recorded ? described : `${recorded}; ${described}`;
  if (supportSource !== recorded) edits.push({ field: 'supportSource', value: supportSource });
  return edits;
}
