import { loaderRule } from './rule.js';

export const idMalformed = loaderRule({
  code: 'id/malformed',
  severity: 'error',
  clauses: ['8.1.1', '5.2.6 e'],
  summary: 'An id is not PREFIX-NUMBER, or its prefix does not match the record kind.',
  hint: 'use a configured prefix, a hyphen and a number, e.g. SRS-012',
});
