import { KINDS } from '../model/kinds.js';
import { isActive, textAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

const STATEMENT_KINDS = KINDS.filter((k) => k.statementRequired).map((k) => k.name);

export const recordEmptyText: Rule = {
  code: 'record/empty-statement',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.6 c', '5.2.6 d'],
  // The text of every kind it checks; textAnchor's line also follows the front matter's length.
  reads: { kinds: [...STATEMENT_KINDS].sort() },
  summary: 'A requirement, need, risk control, problem report or change request has no text.',
  hint: 'write the statement in the record body (Markdown files) or in `text:` (collections)',
  // Local: the record alone (src/rules/local-rerun.ts).
  local: { reach: 0 },
  *check({ graph }) {
    for (const kind of STATEMENT_KINDS) {
      for (const record of graph.ofKind(kind)) {
        if (!isActive(record) || record.text.trim() !== '') continue;
        yield {
          code: 'record/empty-statement',
          message: `${record.id} has an empty statement`,
          recordId: record.id,
          at: textAnchor(record),
        };
      }
    }
  },
};
