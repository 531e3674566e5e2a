import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * What a test must say, by level, with the clause that asks for it: unit verification has
 * acceptance criteria set before integration (5.5.3); integration tests have a procedure and
 * expected results to repeat them (5.6.5, 5.6.7 b) and criteria showing the item performs as
 * intended (5.6.4); system tests are written as procedure, expected outcomes and pass/fail
 * criteria (5.7.1). Validation tests answer to the design validation plan (ISO 13485 7.3.7), not
 * to these fields. Which classes need each follows from its clause: 5.5 and 5.6 at B and C, 5.7 at
 * every class.
 */
export const TEST_CONTENT: Readonly<
  Record<string, readonly { readonly field: string; readonly what: string; readonly clause: string }[]>
> = {
  unit: [{ field: 'acceptanceCriteria', what: 'the unit acceptance criteria', clause: '5.5.3' }],
  integration: [
    { field: 'procedure', what: 'the test procedure (inputs and actions)', clause: '5.6.5' },
    { field: 'expectedResults', what: 'the expected results', clause: '5.6.7 b' },
    { field: 'acceptanceCriteria', what: 'the pass/fail criteria', clause: '5.6.4' },
  ],
  system: [
    { field: 'procedure', what: 'the test procedure (input stimuli and actions)', clause: '5.7.1' },
    { field: 'expectedResults', what: 'the expected outcomes', clause: '5.7.1' },
    { field: 'acceptanceCriteria', what: 'the pass/fail criteria', clause: '5.7.1' },
  ],
};

export const testIncomplete: Rule = {
  code: 'test/incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.5.3', '5.6.4', '5.6.5', '5.6.7 b', '5.7.1'],
  reads: { kinds: ['test'] },
  summary:
    'A unit test has no acceptance criteria, or an integration or system test lacks its procedure, expected results or pass/fail criteria.',
  hint: 'write the field named on the test; its class is the highest class of what it `verifies`',
  *check({ graph }) {
    for (const test of graph.ofKind('test')) {
      if (!isActive(test)) continue;
      const level = String(test.fields.level);
      for (const need of TEST_CONTENT[level] ?? []) {
        const value = test.fields[need.field];
        if (typeof value === 'string' && value.trim() !== '') continue;
        yield {
          code: 'test/incomplete',
          clauses: [need.clause],
          message: `${test.id} (${level} test) has no \`${need.field}\`: ${need.what} (${need.clause})`,
          recordId: test.id,
          at: fieldAnchor(test, 'id'),
        };
      }
    }
  },
};
