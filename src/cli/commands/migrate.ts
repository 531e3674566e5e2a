import path from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { plural } from '../../diagnostics/format.js';
import { compareUnderRulesets, writeRulesetPin } from '../../rules/migrate.js';
import { currentRuleset, RulesetError } from '../../rules/ruleset.js';
import { today } from '../../util/clock.js';
import { withProjectLock } from '../../util/project-lock.js';
import { openProjectAdvisories } from '../advisory-db.js';
import { EXIT, loadOrReport, UsageError, warnLock } from '../io.js';
import { writeOut } from '../terminal.js';

export interface MigrateOptions {
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly advisories?: string;
}

/** Findings grouped by rule, then listed by record: what a reviewer reads before accepting the move. */
function listByRule(title: string, diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  const byRule = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byRule.set(d.code, [...(byRule.get(d.code) ?? []), d]);
  let out = `${title} (${diagnostics.length}):\n`;
  for (const [code, list] of [...byRule].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out += `  ${code} (${list.length})\n`;
    const sorted = [...list].sort((a, b) => (a.recordId ?? '').localeCompare(b.recordId ?? ''));
    for (const d of sorted) {
      const at = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}` : '';
      out += `    ${d.recordId ?? '-'}  ${d.severity}  ${at ? `${at}  ` : ''}${d.message}\n`;
    }
  }
  return out;
}

/** `dossier migrate [dir] [--to V] [--dry-run]`. */
export function runMigrate(dir: string, options: MigrateOptions): number {
  const job = () => {
    const { project, exitCode } = loadOrReport(dir, { refuse: 'migrate the ruleset' });
    if (!project) return exitCode!;
    const to = options.to ?? currentRuleset();
    const advisories = openProjectAdvisories(dir, project.config, options.advisories, { required: false });
    let comparison: ReturnType<typeof compareUnderRulesets>;
    try {
      comparison = compareUnderRulesets(project, to, {
        ...(advisories ? { advisories: advisories.source } : {}),
        today: today(),
      });
    } catch (error) {
      if (error instanceof RulesetError) throw new UsageError(`--to ${to}: ${error.message}`);
      throw error;
    } finally {
      advisories?.close();
    }
    const { from, added, gone } = comparison;
    const fromText = comparison.pinned ? `the pinned ruleset ${from}` : `no pin (ruleset ${from} applied)`;
    writeOut(`Ruleset: ${fromText} → ${to}\n`);
    if (comparison.fromUnavailable) {
      writeOut(
        `  the pinned verdicts cannot be reproduced (${comparison.fromUnavailable}); every finding of ${to} is listed\n`,
      );
    }
    if (added.length === 0 && gone.length === 0) {
      writeOut(`No finding would be reported differently under ${to}.\n`);
    } else {
      writeOut(listByRule(`New findings under ${to}`, added));
      writeOut(listByRule(`Findings no longer reported under ${to}`, gone));
      writeOut(
        `Errors: ${comparison.errors.from ?? 'unknown'} under ${from}, ${comparison.errors.to} under ${to}.\n`,
      );
    }
    if (comparison.pinned && from === to) {
      writeOut(`dossier.yaml already pins ${to}; nothing to change\n`);
      return EXIT.ok;
    }
    if (options.dryRun) {
      writeOut(`would set ruleset: "${to}" in dossier.yaml (dry run: nothing written)\n`);
      return EXIT.ok;
    }
    try {
      writeRulesetPin(project, to);
    } catch (error) {
      if (error instanceof RulesetError) throw new UsageError(error.message);
      throw error;
    }
    writeOut(
      `dossier.yaml: ruleset: "${to}" (${plural(added.length, 'new finding')}, ${plural(gone.length, 'finding')} no longer reported)\n`,
    );
    return EXIT.ok;
  };
  return options.dryRun ? job() : withProjectLock(path.resolve(dir), 'dossier migrate', warnLock, job);
}
