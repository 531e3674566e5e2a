import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

export const requirementNoSource: Rule = {
  code: 'requirement/no-source',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.1', '5.2.6 f'],
  reads: { kinds: ['software-requirement'] },
  summary: 'A software requirement traces to no system requirement and names no other source.',
  hint: 'add `derivesFrom: [SYS-…]`, or `source:` naming the standard or document it comes from',
  // Local: the record alone (src/rules/local-rerun.ts).
  local: { reach: 0 },
  *check({ graph }) {
    for (const requirement of graph.ofKind('software-requirement')) {
      if (!isActive(requirement)) continue;
      const derived = (requirement.links.derivesFrom?.length ?? 0) > 0;
      if (derived || typeof requirement.fields.source === 'string') continue;
      yield {
        code: 'requirement/no-source',
        message: `${requirement.id} does not derive from a system requirement and names no other source`,
        recordId: requirement.id,
        at: fieldAnchor(requirement, 'id'),
      };
    }
  },
};
