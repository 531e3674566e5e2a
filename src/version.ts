import { currentRuleset } from './rules/ruleset.js';
import { packageJson } from './util/package-files.js';

/** The package version, read once from package.json. */
export const DOSSIER_VERSION: string = packageJson<{ version: string }>('package.json').version;
export const DOSSIER_URI = 'https://github.com/dossier-dev/dossier';

/** The current ruleset (src/rules/ruleset.ts): the last entry of data/rulesets.json. */
export const RULESET_VERSION: string = currentRuleset();
