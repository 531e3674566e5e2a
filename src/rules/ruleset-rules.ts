import { CONFIG_FILE_NAME } from '../model/config.js';
import type { Rule } from './rule.js';

/**
 * Without a pin, an upgrade of Dossier may change the project's verdicts. Information, not a
 * warning: the verdict itself does not change by pinning, and `--strict` pipelines of projects that
 * are not (yet) a validated use stay green; a project that validates Dossier raises it to `error`
 * (docs/config.md#ruleset).
 */
export const rulesetUnpinned: Rule = {
  code: 'ruleset/unpinned',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['ISO 13485 4.1.6'],
  reads: { kinds: [] },
  summary: 'dossier.yaml pins no ruleset, so an upgrade of Dossier may change the verdicts.',
  hint: 'pin the ruleset the project was checked with: `ruleset: "<version>"` in dossier.yaml (dossier migrate writes it)',
  *check({ ruleset }) {
    if (!ruleset || ruleset.pinned) return;
    yield {
      code: 'ruleset/unpinned',
      message: `dossier.yaml pins no ruleset; the current ruleset ${ruleset.current} was applied, and a newer Dossier may report differently`,
      at: { file: CONFIG_FILE_NAME, line: 1, column: 1 },
      hint: `add \`ruleset: "${ruleset.current}"\` to dossier.yaml, or run \`dossier migrate\`, which writes it`,
    };
  },
};

/** A project pinned to an earlier ruleset: the rules added since were not run, and the report says so. */
export const rulesetRulesNotRun: Rule = {
  code: 'ruleset/rules-not-run',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['ISO 13485 4.1.6'],
  reads: { kinds: [] },
  summary: 'The pinned ruleset is older than this Dossier\u2019s: the rules added since were not run.',
  hint: 'run `dossier migrate` to see what the newer rules report and move the pin',
  *check({ ruleset }) {
    if (!ruleset?.pinned || ruleset.version === ruleset.current) return;
    const changed = ruleset.changedSince.length;
    const n = ruleset.notEnabled.length;
    yield {
      code: 'ruleset/rules-not-run',
      message:
        `the pinned ruleset ${ruleset.version} is older than this Dossier's ruleset ${ruleset.current}: ` +
        (n === 0
          ? 'no newer rule exists'
          : `${n} newer rule${n === 1 ? ' was' : 's were'} not run (${ruleset.notEnabled.join(', ')})`) +
        (changed > 0
          ? `; ${changed} rule change${changed === 1 ? '' : 's'} since were not applied (${ruleset.changedSince.map((c) => `${c.code} in ${c.in}`).join(', ')})`
          : ''),
      at: { file: CONFIG_FILE_NAME, path: ['ruleset'] },
    };
  },
};
