import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * Design validation (ISO 13485 7.3.7; FDA 21 CFR 820.30(g)): the device meets the user needs,
 * shown by validation, so each user need is verified by a `validation`-level test. A warning by
 * default, because validation often runs at device level outside the software dossier; a project
 * that keeps its validation here raises it to an error in dossier.yaml.
 */
export const userNeedUnvalidated: Rule = {
  code: 'user-need/unvalidated',
  severity: 'warning',
  applicability: 'table',
  clauses: ['ISO 13485 7.3.7'],
  reads: { kinds: ['test', 'user-need'] },
  summary: 'A user need is validated by no validation-level test.',
  hint: 'add a test with `level: validation` and `verifies: [<id>]` (e.g. a summative usability or clinical simulation test)',
  *check({ graph }) {
    for (const need of graph.ofKind('user-need')) {
      if (!isActive(need)) continue;
      const validated = graph
        .testsVerifying(need)
        .some((test) => isActive(test) && test.fields.level === 'validation');
      if (validated) continue;
      yield {
        code: 'user-need/unvalidated',
        message: `${need.id} (${need.title}) is not validated by any validation-level test`,
        recordId: need.id,
        at: fieldAnchor(need, 'id'),
      };
    }
  },
};
