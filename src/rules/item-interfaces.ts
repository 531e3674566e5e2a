import { type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

const HEADING = /^#{1,6}[ \t]+(.*?)[ \t#]*$/;

/** True when the Markdown has a heading "Interfaces" (any level) with text before the next heading. */
function hasInterfacesSection(markdown: string): boolean {
  let inSection = false;
  for (const line of markdown.split(/\r?\n/)) {
    const heading = HEADING.exec(line);
    if (heading) inSection = heading[1]!.trim().toLowerCase() === 'interfaces';
    else if (inSection && line.trim() !== '') return true;
  }
  return false;
}

/**
 * Whether an item's interfaces are described: the `interfaces` field, or a "## Interfaces" section
 * of its Markdown body, with text in it.
 */
export function interfacesDescribed(item: DossierRecord): boolean {
  const field = item.fields.interfaces;
  if (typeof field === 'string' && field.trim() !== '') return true;
  return hasInterfacesSection(item.text);
}

/**
 * 5.3.2: the architecture describes the interfaces between software items and to external hardware
 * and software (B, C); 5.4.3: class C units have a detailed design of their interfaces. The system
 * and its items answer to 5.3.2, units to 5.4.3.
 */
export const itemInterfacesMissing: Rule = {
  code: 'item/interfaces-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.3.2', '5.4.3'],
  summary: 'A software item or unit does not describe its interfaces.',
  hint: 'describe the interfaces in `interfaces:` or under a "## Interfaces" heading: the data, calls, messages and signals it exchanges with other items, hardware and external software',
  *check({ graph }) {
    for (const item of graph.ofKind('software-item')) {
      if (!isActive(item) || interfacesDescribed(item)) continue;
      const unit = item.fields.itemType === 'unit';
      yield {
        code: 'item/interfaces-missing',
        clauses: [unit ? '5.4.3' : '5.3.2'],
        message: `${item.id} (${item.title}, ${String(item.fields.itemType)}) does not describe its interfaces (${unit ? '5.4.3' : '5.3.2'})`,
        recordId: item.id,
        at: fieldAnchor(item, 'id'),
      };
    }
  },
};
