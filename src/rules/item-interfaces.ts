import { type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

const HEADING = /^#{1,6}[ \t]+(.*?)[ \t#]*$/;

/**
 * The text under every heading `title` (any level, any case; `title` in lower case) up to the next
 * heading, as written: empty when there is none.
 */
export function sectionText(markdown: string, title: string): string {
  let inSection = false;
  const lines: string[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    const heading = HEADING.exec(line);
    if (heading) inSection = heading[1]!.trim().toLowerCase() === title;
    else if (inSection) lines.push(line);
  }
  return lines.join('\n').trim();
}

/** True when the Markdown has a heading `title` (any level, any case) with text before the next heading. */
function hasSection(markdown: string, title: string): boolean {
  return sectionText(markdown, title) !== '';
}

/**
 * Whether an item describes something: the field has text, or its Markdown body has a section with
 * that heading (e.g. "## Interfaces") and text in it.
 */
export function described(item: DossierRecord, field: string, heading: string): boolean {
  const value = item.fields[field];
  if (typeof value === 'string' && value.trim() !== '') return true;
  return hasSection(item.text, heading);
}

/** Whether an item's interfaces are described: `interfaces`, or a "## Interfaces" section. */
export const interfacesDescribed = (item: DossierRecord) => described(item, 'interfaces', 'interfaces');

/**
 * 5.3.2: the architecture describes the interfaces between software items and to external hardware
 * and software (B, C). Units answer to 5.4.3 instead (unit/interface-design-missing).
 */
export const itemInterfacesMissing: Rule = {
  code: 'item/interfaces-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.3.2'],
  reads: { kinds: ['software-item'] },
  summary: 'The software system or a software item does not describe its interfaces.',
  hint: 'describe the interfaces in `interfaces:` or under a "## Interfaces" heading: the data, calls, messages and signals it exchanges with other items, hardware and external software',
  *check({ graph }) {
    for (const item of graph.ofKind('software-item')) {
      if (!isActive(item) || item.fields.itemType === 'unit' || interfacesDescribed(item)) continue;
      yield {
        code: 'item/interfaces-missing',
        message: `${item.id} (${item.title}, ${String(item.fields.itemType)}) does not describe its interfaces (5.3.2)`,
        recordId: item.id,
        at: fieldAnchor(item, 'id'),
      };
    }
  },
};
