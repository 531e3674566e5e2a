import { loaderRule } from './rule.js';

export const schemaWrongType = loaderRule({
  code: 'schema/wrong-type',
  severity: 'error',
  clauses: ['8.1.1'],
  summary: 'A field has a value of the wrong type (text, number, list, mapping).',
  hint: 'write the value with the type docs/format.md gives for this field',
});
