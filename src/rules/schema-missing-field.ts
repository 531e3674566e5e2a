import { loaderRule } from './rule.js';

export const schemaMissingField = loaderRule({
  code: 'schema/missing-field',
  severity: 'error',
  clauses: ['8.1.1', '5.2.6'],
  summary: 'A required field is missing or empty.',
  hint: 'add the field; docs/format.md lists the required fields of each kind',
});
