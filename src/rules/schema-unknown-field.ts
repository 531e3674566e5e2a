import { loaderRule } from './rule.js';

export const schemaUnknownField = loaderRule({
  code: 'schema/unknown-field',
  severity: 'error',
  clauses: ['8.1.1'],
  summary: 'A record has a field its kind does not define (often a typo).',
  hint: 'rename the field to one the kind defines, or declare it under `customFields` in dossier.yaml',
});
