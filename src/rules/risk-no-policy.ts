import { CONFIG_FILE_NAME } from '../model/config.js';
import type { Rule } from './rule.js';

export const riskNoPolicy: Rule = {
  code: 'risk/no-policy',
  severity: 'error',
  applicability: 'table',
  clauses: ['ISO 14971 4.4', '4.2'],
  reads: { kinds: [] },
  summary: 'Hazardous situations exist but dossier.yaml has no risk acceptability policy to evaluate them.',
  hint: 'add `risk:` with severity and probability scales and the acceptability matrix (docs/config.md)',
  *check({ safety }) {
    if (safety.policy || safety.risks.length === 0) return;
    yield {
      code: 'risk/no-policy',
      message: `${safety.risks.length} hazardous situations cannot be evaluated: dossier.yaml has no \`risk\` section, so every item is treated as class C`,
      at: { file: CONFIG_FILE_NAME, path: [] },
    };
  },
};
