import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const idDuplicate: Rule = {
  code: 'id/duplicate',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['8.1.1', '5.2.6 e'],
  reads: { kinds: [] },
  summary: 'Two records use the same id, so links to it are ambiguous.',
  hint: 'give one of the records a new, unused id with `dossier renumber` (ids are never reused)',
  *check({ graph }) {
    for (const [id, records] of graph.duplicates) {
      const [first, ...others] = records;
      for (const other of others) {
        yield {
          code: 'id/duplicate',
          message: `id ${id} is already used by the record in ${first!.origin.source.path}`,
          recordId: id,
          at: fieldAnchor(other, 'id'),
          related: [{ message: `first use of ${id}`, at: fieldAnchor(first!, 'id') }],
          // Typically two branches merged, each having added a record with the next free id.
          hint: `give one of them a new id: dossier renumber ${id} <unused id> --file ${other.origin.source.path} (\`dossier new ${other.kind} --dry-run\` shows the next free id; references to ${id} are listed for you to assign)`,
        };
      }
    }
  },
};
