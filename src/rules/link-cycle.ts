import { findCycles } from '../graph/cycles.js';
import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const linkCycle: Rule = {
  code: 'link/cycle',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['5.1.1 c', '5.3.1'],
  reads: { kinds: [] },
  summary: 'Links form a cycle (a record derives from, or is part of, itself).',
  hint: 'remove the link that points back up the chain',
  *check({ graph }) {
    for (const cycle of findCycles(graph)) {
      const first = cycle.links[0];
      if (!first) continue;
      yield {
        code: 'link/cycle',
        message: `link cycle: ${cycle.path.map((r) => r.id).join(' → ')}`,
        recordId: first.from.id,
        at: fieldAnchor(first.from, first.field, first.index),
        related: cycle.links.slice(1).map((l) => ({
          message: `${l.from.id}.${l.field} → ${l.to.id}`,
          at: fieldAnchor(l.from, l.field, l.index),
        })),
      };
    }
  },
};
