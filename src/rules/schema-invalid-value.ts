import { loaderRule } from './rule.js';

export const schemaInvalidValue = loaderRule({
  code: 'schema/invalid-value',
  severity: 'error',
  clauses: ['8.1.1'],
  summary: 'A field has a value outside its allowed set or format.',
  hint: 'use one of the allowed values',
});
