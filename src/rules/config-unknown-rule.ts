import { CONFIG_FILE_NAME } from '../model/config.js';
import { didYouMean } from '../util/suggest.js';
import type { Rule } from './rule.js';

/** Needs the list of all rule codes, so the registry passes it in. */
export function configUnknownRule(allCodes: () => readonly string[]): Rule {
  return {
    code: 'config/unknown-rule',
    severity: 'error',
    applicability: 'fixed',
    clauses: [],
    reads: { kinds: [] },
    summary: 'dossier.yaml overrides the severity of a rule that does not exist.',
    hint: 'run `dossier rules` for the list of rule codes',
    *check({ project }) {
      const codes = allCodes();
      for (const code of Object.keys(project.config.rules)) {
        if (codes.includes(code)) continue;
        yield {
          code: 'config/unknown-rule',
          message: `unknown rule "${code}"${didYouMean(code, codes)}`,
          at: { file: CONFIG_FILE_NAME, path: ['rules', code], atKey: true },
        };
      }
    },
  };
}
