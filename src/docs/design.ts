/**
 * What the architecture (SAD, src/docs/sad.ts) and the detailed design (SDS, src/docs/sds.ts) both
 * read from the software item records: the containment tree, the class of each item from the
 * safety classification, the text of a described aspect (a field or a section of the record's text)
 * and the class wording of the applicability table. Pure.
 */
import type { Analysis } from '../analyze.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { sectionText } from '../rules/item-interfaces.js';
import { classesOfClause } from '../safety/class-scheme.js';
import type { Classification } from '../safety/classify.js';
import type { SafetyAnalysis } from '../safety/safety-analysis.js';
import type { Block, Inline } from './model.js';

export interface TreeEntry {
  readonly item: DossierRecord;
  /** 0 for a top item (the software system, or an item outside it). */
  readonly depth: number;
  /** Its top item. */
  readonly root: DossierRecord;
}

export interface ItemTree {
  /** The software system record, when software.system names an active software item. */
  readonly system: DossierRecord | undefined;
  /** The top items: the system first, then items outside it that have no active parent, by id. */
  readonly roots: readonly DossierRecord[];
  /** Every active software item, depth first from the roots, parts in id order. */
  readonly entries: readonly TreeEntry[];
  readonly children: (item: DossierRecord) => DossierRecord[];
}

/**
 * The active software items as a tree of `partOf`. An item whose parent is missing or obsolete is a
 * top item; items only reachable through a `partOf` cycle (a finding of its own) are shown from the
 * lowest id of the cycle, so that every active item appears once.
 */
export function itemTree(analysis: Analysis): ItemTree {
  const { graph, project } = analysis;
  const items = graph.ofKind('software-item').filter(isActive).sort(compareById);
  const candidate = graph.get(project.config.software.system);
  const system = candidate?.kind === 'software-item' && isActive(candidate) ? candidate : undefined;
  const children = (item: DossierRecord) => graph.childrenOf(item).filter(isActive).sort(compareById);
  const entries: TreeEntry[] = [];
  const seen = new Set<DossierRecord>();
  const roots: DossierRecord[] = [];
  const walk = (top: DossierRecord) => {
    roots.push(top);
    const stack: { item: DossierRecord; depth: number }[] = [{ item: top, depth: 0 }];
    for (let next = stack.pop(); next; next = stack.pop()) {
      if (seen.has(next.item)) continue;
      seen.add(next.item);
      entries.push({ item: next.item, depth: next.depth, root: top });
      const parts = children(next.item);
      for (let i = parts.length - 1; i >= 0; i--) stack.push({ item: parts[i]!, depth: next.depth + 1 });
    }
  };
  if (system) walk(system);
  const parentless = (item: DossierRecord) => {
    const parent = graph.parentOf(item);
    return parent === undefined || parent.kind !== 'software-item' || !isActive(parent);
  };
  for (const item of items) if (!seen.has(item) && parentless(item)) walk(item);
  for (const item of items) if (!seen.has(item)) walk(item);
  return { system, roots, entries, children };
}

/** The classification of every classified item (the system included), by id. */
export function classificationsById(safety: SafetyAnalysis): Map<string, Classification> {
  const byId = new Map(safety.items.map((c) => [c.id, c]));
  if (safety.system) byId.set(safety.system.id, safety.system);
  return byId;
}

/**
 * What an item records of an aspect (its interfaces, its design): the field's text, else the text
 * under a heading of that name in its Markdown, else nothing. `where` says which.
 */
export function aspectText(
  item: DossierRecord,
  field: string,
  heading: string,
): { readonly text: string; readonly where: 'field' | 'text' } | undefined {
  const value = item.fields[field];
  if (typeof value === 'string' && value.trim() !== '') return { text: value, where: 'field' };
  const section = sectionText(item.text, heading);
  return section !== '' ? { text: section, where: 'text' } : undefined;
}

/**
 * The blocks of one aspect: a label, then the text as its author wrote it, or that it is written in
 * the record's text (shown above), or a not-recorded block with the clause.
 */
export function aspectBlocks(
  item: DossierRecord,
  field: string,
  heading: string,
  label: string,
  clause: string,
  notRequired: string,
): Block[] {
  const found = aspectText(item, field, heading);
  const title: Block = { kind: 'paragraph', inlines: [{ strong: `${label} (${clause})` }] };
  if (!found)
    return [
      title,
      {
        kind: 'not-recorded',
        what: `${label.toLowerCase()} of ${item.id}${notRequired}`,
        clause,
      },
    ];
  if (found.where === 'text')
    return [
      title,
      {
        kind: 'paragraph',
        inlines: [
          {
            text: `Given in the text of ${item.id} above, under the heading "${heading[0]!.toUpperCase()}${heading.slice(1)}".`,
          },
        ],
      },
    ];
  return [title, { kind: 'record-text', recordId: item.id, markdown: found.text }];
}

/** The classes a clause applies at, in words: "class B and C", "class C", "every class". */
export function classesInWords(safety: SafetyAnalysis, clause: string): string {
  const classes = classesOfClause(safety.scheme, clause).classes;
  if (classes.length === safety.scheme.classes.length) return 'every class';
  if (classes.length === 0) return 'no class';
  return `class ${classes.length === 1 ? classes[0] : `${classes.slice(0, -1).join(', ')} and ${classes.at(-1)}`}`;
}

/** "" when the clause applies at `cls`; else "; not required at class A (Table A.1: class B and C)". */
export function notRequiredAt(safety: SafetyAnalysis, clause: string, cls: string): string {
  return classesOfClause(safety.scheme, clause).classes.includes(cls)
    ? ''
    : `; not required at class ${cls} (Annex A, Table A.1: ${classesInWords(safety, clause)})`;
}

/** The software safety class of an item, with what it declares: "C (declared C)". */
export function classInline(c: Classification | undefined, unclassified: string): Inline[] {
  if (!c) return [{ strong: `${unclassified}: not classified (4.3 g)` }];
  const declared =
    c.declaredClass === undefined
      ? 'no class declared'
      : c.declaredClass === c.computedClass
        ? `declared ${c.declaredClass}`
        : `declared ${c.declaredClass}, computed ${c.computedClass}: the computed class applies`;
  return [{ strong: c.computedClass }, { text: ` (${declared}; basis: ${c.bases.join(', ')})` }];
}

/** The items named in a text, by id (the ids of `known` that appear as words in it), sorted. */
export function idsNamed(text: string, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const word of text.match(/[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9]/g) ?? [])
    if (known.has(word)) found.add(word);
  return [...found].sort();
}

/** Ids as refs, comma-separated; past `max`, the first `max` and "and N more" (table cells stay short). */
export function cappedRefs(ids: readonly string[], max = 8, none = '–'): Inline[] {
  if (ids.length === 0) return [{ text: none }];
  const shown = ids
    .slice(0, max)
    .flatMap((id, i): Inline[] => (i === 0 ? [{ ref: id }] : [{ text: ', ' }, { ref: id }]));
  return ids.length > max ? [...shown, { text: ` and ${ids.length - max} more` }] : shown;
}
