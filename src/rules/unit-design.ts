import { fieldAnchor, isActive } from '../model/record.js';
import { described, interfacesDescribed } from './item-interfaces.js';
import type { Rule } from './rule.js';

/**
 * Detailed design of class C units (5.4.2, 5.4.3): each unit has a design detailed enough to
 * implement it correctly, and a design of its interfaces. Table rules: 5.4.2 and 5.4.3 apply at
 * class C, so units of class A and B are not held to them.
 */
export const unitDesignMissing: Rule = {
  code: 'unit/design-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.4.2'],
  reads: { kinds: ['software-item'] },
  summary: 'A class C software unit has no detailed design.',
  hint: 'describe the design in `design:` or under a "## Design" heading: what the unit is responsible for, its data, algorithms, states and timing, and how it detects and handles errors; enough to implement it correctly',
  *check({ graph }) {
    for (const unit of graph.ofKind('software-item')) {
      if (!isActive(unit) || unit.fields.itemType !== 'unit' || described(unit, 'design', 'design')) continue;
      yield {
        code: 'unit/design-missing',
        message: `${unit.id} (${unit.title}) has no detailed design (5.4.2)`,
        recordId: unit.id,
        at: fieldAnchor(unit, 'id'),
      };
    }
  },
};

export const unitInterfaceDesignMissing: Rule = {
  code: 'unit/interface-design-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.4.3'],
  reads: { kinds: ['software-item'] },
  summary: 'A class C software unit has no design of its interfaces.',
  hint: 'describe the interfaces in `interfaces:` or under a "## Interfaces" heading: each call, message, shared datum and hardware signal the unit exchanges, with its types, ranges, timing and error returns',
  *check({ graph }) {
    for (const unit of graph.ofKind('software-item')) {
      if (!isActive(unit) || unit.fields.itemType !== 'unit' || interfacesDescribed(unit)) continue;
      yield {
        code: 'unit/interface-design-missing',
        message: `${unit.id} (${unit.title}) has no design of its interfaces (5.4.3)`,
        recordId: unit.id,
        at: fieldAnchor(unit, 'id'),
      };
    }
  },
};
