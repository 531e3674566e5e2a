/**
 * Finding the sections of one plan type in one plan record: as Markdown headings of its text, or
 * as entries of its `sections` field. The matching rule is written at the top of
 * data/plan-sections.json and in docs/plans.md.
 */
import type { Anchor } from '../diagnostics/diagnostic.js';
import { type DossierRecord, textAnchor, valueAnchor } from '../model/record.js';
import { PLAN_TYPES, type PlanType } from '../model/vocabulary.js';
import {
  type Heading,
  headingMatches,
  headingMatchLength,
  type Outline,
  outline,
  sectionText,
} from './markdown-outline.js';
import { hasContent } from './placeholder.js';
import { coveredSectionKey, type PlanSectionSpec, type PlanTypeSpec, planTypeSpec } from './plan-data.js';

/** found: it has text; empty: only placeholders (TBD, N/A, …); missing: no heading and no field. */
export type SectionState = 'found' | 'empty' | 'missing';

/** Where a section was found (for a found section, where its text is; for an empty one, the empty place). */
export interface SectionPlace {
  readonly source: 'heading' | 'field';
  /** The heading as written, or the key of the `sections` field. */
  readonly name: string;
  readonly at: Anchor;
  /** For a heading: its zero-based line in the plan's text (where {@link sectionMarkdown} reads). */
  readonly line?: number;
}

export interface SectionCoverage {
  readonly key: string;
  /** The key to use in the plan's `sections` field: the section key, or `<type>.<key>` for a covered type. */
  readonly fieldKey: string;
  readonly clause: string;
  readonly title: string;
  readonly mustSay: string;
  readonly classes: readonly string[];
  /** Its classes include the highest class in the project. */
  readonly applies: boolean;
  readonly state: SectionState;
  readonly place?: SectionPlace;
}

/** How a plan holds a plan type: as its own type, or as a type it `covers`. */
export type Holding = 'own' | 'covers';

export interface PlanSections {
  readonly planType: PlanType;
  readonly holding: Holding;
  /**
   * For a covered type: the headings that introduce it in the plan ("## Configuration management");
   * its sections are looked for below them. Empty when the plan has none.
   */
  readonly coveredUnder: readonly string[];
  readonly sections: readonly SectionCoverage[];
}

const outlines = new WeakMap<DossierRecord, Outline>();

function outlineOf(plan: DossierRecord): Outline {
  let doc = outlines.get(plan);
  if (!doc) {
    doc = outline(plan.text);
    outlines.set(plan, doc);
  }
  return doc;
}

/** The `sections` field of a plan, as written (the schema makes every value text). */
export function sectionFields(plan: DossierRecord): Readonly<Record<string, string>> {
  return (plan.fields.sections as Record<string, string> | undefined) ?? {};
}

/** A plan's `planType`, or undefined when it has none the model knows (a schema error says so). */
export function planTypeOf(plan: DossierRecord): PlanType | undefined {
  const type = plan.fields.planType;
  return typeof type === 'string' && (PLAN_TYPES as readonly string[]).includes(type)
    ? (type as PlanType)
    : undefined;
}

/** The plan types a plan `covers`, each once, its own type left out. */
export function coveredTypes(plan: DossierRecord): PlanType[] {
  const own = planTypeOf(plan);
  const covers = (plan.fields.covers as PlanType[] | undefined) ?? [];
  return [...new Set(covers)].filter((t) => t !== own);
}

/**
 * The sections of `planType` in `plan`, each found, empty or missing. `projectClass` (the highest
 * class in the project) decides which sections apply.
 */
export function planSections(
  plan: DossierRecord,
  planType: PlanType,
  holding: Holding,
  projectClass: string,
): PlanSections {
  const spec = planTypeSpec(planType);
  const doc = outlineOf(plan);
  const roots =
    holding === 'covers' ? doc.headings.filter((h) => headingMatches(h.normalized, spec.headings)) : [];
  const candidates = holding === 'own' ? doc.headings : headingsBelow(doc.headings, new Set(roots));
  const fields = sectionFields(plan);
  const found = headingsBySection(spec, candidates);
  return {
    planType,
    holding,
    coveredUnder: roots.map((r) => r.text),
    sections: spec.sections.map((section) =>
      sectionCoverage(plan, spec, section, holding, doc, found.get(section.key) ?? [], fields, projectClass),
    ),
  };
}

/** The headings inside the section of any of the roots, the roots left out (one pass, in line order). */
function headingsBelow(headings: readonly Heading[], roots: ReadonlySet<Heading>): Heading[] {
  const below: Heading[] = [];
  let openUntil = -1;
  for (const heading of headings) {
    if (roots.has(heading)) openUntil = Math.max(openUntil, heading.end);
    else if (heading.line < openUntil) below.push(heading);
  }
  return below;
}

/**
 * The headings that find each section: a heading finds the sections whose heading it names most
 * specifically. "Configuration control before verification" finds 5.1.11, not also 5.1.1 d through
 * the shorter "configuration"; "Tools under control" finds 5.1.10, not 5.1.4 through "tools".
 * Sections named equally specifically share the heading.
 */
function headingsBySection(spec: PlanTypeSpec, headings: readonly Heading[]): Map<string, Heading[]> {
  const bySection = new Map<string, Heading[]>();
  for (const heading of headings) {
    let best = 0;
    let keys: string[] = [];
    for (const section of spec.sections) {
      const length = headingMatchLength(heading.normalized, section.headings);
      if (length === 0 || length < best) continue;
      if (length > best) keys = [];
      best = length;
      keys.push(section.key);
    }
    for (const key of keys) {
      const list = bySection.get(key);
      if (list) list.push(heading);
      else bySection.set(key, [heading]);
    }
  }
  return bySection;
}

function sectionCoverage(
  plan: DossierRecord,
  spec: PlanTypeSpec,
  section: PlanSectionSpec,
  holding: Holding,
  doc: Outline,
  /** The headings that find this section. */
  headings: readonly Heading[],
  fields: Readonly<Record<string, string>>,
  projectClass: string,
): SectionCoverage {
  const fieldKey = holding === 'own' ? section.key : coveredSectionKey(spec.planType, section.key);
  // The first place with text decides (the field, then the headings in order); without one, the
  // first empty place is where the section is empty.
  const field = fields[fieldKey];
  const fieldPlace: SectionPlace | undefined =
    field === undefined
      ? undefined
      : { source: 'field', name: fieldKey, at: valueAnchor(plan, 'sections', fieldKey) };
  const headingPlace = (heading: Heading): SectionPlace => ({
    source: 'heading',
    name: heading.text,
    at: headingAnchor(plan, heading),
    line: heading.line,
  });
  const withText =
    fieldPlace && hasContent(field!)
      ? fieldPlace
      : (() => {
          const heading = headings.find((h) => hasContent(sectionText(doc, h)));
          return heading ? headingPlace(heading) : undefined;
        })();
  const chosen = withText ?? fieldPlace ?? (headings[0] ? headingPlace(headings[0]) : undefined);
  return {
    key: section.key,
    fieldKey,
    clause: section.clause,
    title: section.title,
    mustSay: section.mustSay,
    classes: section.classes,
    applies: spec.classes.includes(projectClass) && section.classes.includes(projectClass),
    state: withText ? 'found' : chosen ? 'empty' : 'missing',
    ...(chosen ? { place: chosen } : {}),
  };
}

/** The heading's line in the file for a Markdown record; the text field of a collection record. */
function headingAnchor(plan: DossierRecord, heading: Heading): Anchor {
  const bodyLine = plan.origin.source.bodyLine;
  if (bodyLine === undefined) return textAnchor(plan);
  return { file: plan.origin.source.path, line: bodyLine + heading.line, column: 1 };
}

/**
 * The keys a plan's `sections` field may use: its own type's section keys, and `<type>.<key>` for
 * each type it covers. Any other key names no section (a typo would leave the section missing).
 */
export function knownSectionKeys(plan: DossierRecord): Set<string> {
  const own = planTypeOf(plan);
  const keys = new Set(own ? planTypeSpec(own).sections.map((s) => s.key) : []);
  for (const covered of coveredTypes(plan)) {
    for (const s of planTypeSpec(covered).sections) keys.add(coveredSectionKey(covered, s.key));
  }
  return keys;
}

/**
 * The text of a section as the plan gives it (Markdown): the `sections` field, or the text under
 * its heading (subsections included, heading lines left out). Undefined when the section is
 * missing; an empty section gives its placeholder text as written.
 */
export function sectionMarkdown(plan: DossierRecord, section: SectionCoverage): string | undefined {
  const place = section.place;
  if (!place) return undefined;
  if (place.source === 'field') return sectionFields(plan)[place.name];
  const doc = outlineOf(plan);
  const heading = doc.headings.find((h) => h.line === place.line);
  return heading ? sectionText(doc, heading).replace(/^(?:[ \t]*\n)+/, '') : undefined;
}
