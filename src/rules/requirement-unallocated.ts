import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * 5.3.1: the architecture identifies the software items that implement the requirements, so every
 * software requirement is allocated to an item (`implements` on the item). The software system
 * itself counts only while it has no parts: once it is divided into items, "the system" no longer
 * says which of them implements the requirement.
 */
export const requirementUnallocated: Rule = {
  code: 'requirement/unallocated',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.3.1'],
  reads: { kinds: ['software-item', 'software-requirement'] },
  summary: 'A software requirement is allocated to no software item of the architecture.',
  hint: 'add the requirement to `implements` of the software item (or unit) that implements it',
  // Local: the record, the items that implement it and their parts (src/rules/local-rerun.ts).
  local: { reach: 2 },
  *check({ graph }) {
    for (const requirement of graph.ofKind('software-requirement')) {
      if (!isActive(requirement)) continue;
      const items = graph.sources(requirement, 'implements', 'software-item').filter(isActive);
      const allocated = items.some(
        (item) => item.fields.itemType !== 'system' || graph.childrenOf(item).filter(isActive).length === 0,
      );
      if (allocated) continue;
      const onlySystem = items.length > 0;
      yield {
        code: 'requirement/unallocated',
        message: onlySystem
          ? `${requirement.id} is allocated only to the software system ${items.map((i) => i.id).join(', ')}, not to one of its items (5.3.1)`
          : `${requirement.id} (${requirement.title}) is not allocated to any software item (5.3.1)`,
        recordId: requirement.id,
        at: fieldAnchor(requirement, 'id'),
      };
    }
  },
};
