/**
 * Versioned verdicts (issue 17 §1): a validated tool must not change its verdicts silently on
 * upgrade. The rules are versioned as a whole, the *ruleset*, named `YYYY.MM`; the versions and what
 * each added, changed or removed are data (data/rulesets.json, oldest first, the last one current).
 * A project pins the ruleset its verdicts follow (`ruleset:` in dossier.yaml); a newer Dossier keeps
 * that behaviour where the changelog says it can (rules added later are not run, and every report
 * says so) and refuses where it cannot, until the project opts in with `dossier migrate`.
 */
import { packageJson } from '../util/package-files.js';

/** A ruleset version: year and month, `2026.12`. */
export const RULESET_PATTERN = /^(\d{4})\.(\d{2})$/;

export interface RulesetChange {
  /** The rule code. */
  readonly code: string;
  /** What changed, in a sentence a reviewer can judge. */
  readonly change: string;
  /**
   * Whether Dossier still applies the earlier behaviour to projects pinned to an earlier ruleset.
   * False makes those projects refuse to check until they migrate.
   */
  readonly reproducible: boolean;
}

export interface RulesetVersion {
  readonly version: string;
  readonly date: string;
  readonly summary: string;
  /** Rules this ruleset added (the first ruleset: every rule then). */
  readonly added: readonly string[];
  readonly changed: readonly RulesetChange[];
  /** Rules this ruleset no longer has: their earlier findings cannot be reproduced. */
  readonly removed: readonly string[];
}

export interface RulesetChangelog {
  /** Oldest first; the last one is the current ruleset. */
  readonly versions: readonly RulesetVersion[];
}

let shipped: RulesetChangelog | undefined;

/** The changelog this Dossier ships (data/rulesets.json), read once. */
export function rulesetChangelog(): RulesetChangelog {
  shipped ??= packageJson<RulesetChangelog>('data/rulesets.json');
  return shipped;
}

/** The ruleset this Dossier applies to projects that do not pin an earlier one. */
export function currentRuleset(log: RulesetChangelog = rulesetChangelog()): string {
  return log.versions[log.versions.length - 1]!.version;
}

/** Orders two `YYYY.MM` versions. */
export function compareRulesets(a: string, b: string): number {
  const [ya = 0, ma = 0] = a.split('.').map(Number);
  const [yb = 0, mb = 0] = b.split('.').map(Number);
  return ya !== yb ? ya - yb : ma - mb;
}

/** How a project's pin is applied. */
export type RulesetPlan =
  | {
      readonly ok: true;
      /** The ruleset applied. */
      readonly version: string;
      /** The current ruleset of this Dossier. */
      readonly current: string;
      /** False when dossier.yaml pins no ruleset (the current one is applied). */
      readonly pinned: boolean;
      /** Rules of the current ruleset the applied one does not enable: not run. */
      readonly notEnabled: readonly string[];
      /** Rules changed since the applied ruleset whose earlier behaviour is kept. */
      readonly changedSince: readonly (RulesetChange & { readonly in: string })[];
    }
  | {
      readonly ok: false;
      readonly reason: 'malformed' | 'newer' | 'unknown' | 'irreproducible';
      /** One line: what is wrong and what to do. */
      readonly message: string;
    };

/**
 * What applying ruleset `pin` means with this changelog: which rules run, or why it cannot be
 * applied. No pin applies the current ruleset.
 */
export function rulesetPlan(
  pin: string | undefined,
  log: RulesetChangelog = rulesetChangelog(),
): RulesetPlan {
  const current = currentRuleset(log);
  if (pin === undefined)
    return { ok: true, version: current, current, pinned: false, notEnabled: [], changedSince: [] };
  if (!RULESET_PATTERN.test(pin)) {
    return {
      ok: false,
      reason: 'malformed',
      message: `ruleset "${pin}" is not a ruleset version (YYYY.MM, e.g. "${current}")`,
    };
  }
  if (compareRulesets(pin, current) > 0) {
    return {
      ok: false,
      reason: 'newer',
      message: `dossier.yaml pins ruleset ${pin}, newer than this Dossier's ruleset ${current}: upgrade Dossier to a release that ships ruleset ${pin} (npm install -g dossier@latest), so that its verdicts are the ones the project was validated with`,
    };
  }
  const index = log.versions.findIndex((v) => v.version === pin);
  if (index < 0) {
    return {
      ok: false,
      reason: 'unknown',
      message: `ruleset ${pin} is not a ruleset of this Dossier (known: ${log.versions.map((v) => v.version).join(', ')}); pin one of them, or run dossier migrate`,
    };
  }
  const later = log.versions.slice(index + 1);
  const irreproducible = later.flatMap((v) => [
    ...v.changed.filter((c) => !c.reproducible).map((c) => `${c.code} changed in ${v.version}: ${c.change}`),
    ...v.removed.map((code) => `${code} removed in ${v.version}`),
  ]);
  if (irreproducible.length > 0) {
    return {
      ok: false,
      reason: 'irreproducible',
      message: `this Dossier cannot reproduce the verdicts of the pinned ruleset ${pin} (${irreproducible.join('; ')}): run \`dossier migrate\` to see what ruleset ${current} reports differently and move the pin, or use a Dossier release that ships ruleset ${pin}`,
    };
  }
  const enabled = new Set(log.versions.slice(0, index + 1).flatMap((v) => v.added));
  const notEnabled = later.flatMap((v) => v.added).filter((code) => !enabled.has(code));
  const changedSince = later.flatMap((v) => v.changed.map((c) => ({ ...c, in: v.version })));
  return { ok: true, version: pin, current, pinned: true, notEnabled, changedSince };
}

/** A pin that cannot be applied: the command cannot give the pinned verdicts (exit 2). */
export class RulesetError extends Error {}
