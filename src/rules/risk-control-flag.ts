import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskControlFlag: Rule = {
  code: 'requirement/risk-control-flag',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['5.2.3', '7.2.2 a'],
  reads: { kinds: ['software-requirement'] },
  summary: 'A requirement’s `riskControl` flag disagrees with its `implements` links to risk controls.',
  hint: 'set `riskControl: true` exactly when the requirement implements a risk control',
  *check({ graph }) {
    for (const requirement of graph.ofKind('software-requirement')) {
      if (!isActive(requirement)) continue;
      const flagged = requirement.fields.riskControl === true;
      const linked = (requirement.links.implements?.length ?? 0) > 0;
      if (flagged === linked) continue;
      yield {
        code: 'requirement/risk-control-flag',
        message: flagged
          ? `${requirement.id} is flagged \`riskControl: true\` but implements no risk control`
          : `${requirement.id} implements ${requirement.links.implements!.join(', ')} but is not flagged \`riskControl: true\``,
        recordId: requirement.id,
        at: fieldAnchor(requirement, flagged ? 'riskControl' : 'implements'),
      };
    }
  },
};
