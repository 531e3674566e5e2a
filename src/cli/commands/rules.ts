import { formatClauses } from '../../diagnostics/format.js';
import { RULES } from '../../rules/registry.js';
import { ruleClasses } from '../../rules/severity.js';
import { IEC_62304_ED1_1 } from '../../safety/class-scheme.js';
import { RULESET_VERSION } from '../../version.js';
import { EXIT, oneOf } from '../io.js';
import { writeOut } from '../terminal.js';

/** "B, C" for a rule whose severity follows the class, "any class" for a fixed one. */
function whereItApplies(rule: (typeof RULES)[number]): string {
  return rule.applicability === 'fixed' ? 'fixed' : `class ${ruleClasses(rule, IEC_62304_ED1_1).join(', ')}`;
}

export function runRules(options: { format: string }): number {
  const format = oneOf(options.format, ['text', 'json'] as const, '--format');
  if (format === 'json') {
    const rules = RULES.map((r) => ({
      code: r.code,
      severity: r.severity,
      applicability: r.applicability,
      classes: ruleClasses(r, IEC_62304_ED1_1),
      clauses: r.clauses,
      summary: r.summary,
      hint: r.hint,
    }));
    writeOut(`${JSON.stringify({ schemaVersion: 1, ruleset: RULESET_VERSION, rules }, null, 2)}\n`, {
      exact: true,
    });
    return EXIT.ok;
  }
  const width = Math.max(...RULES.map((r) => r.code.length));
  const whereWidth = Math.max(...RULES.map((r) => whereItApplies(r).length));
  for (const r of RULES) {
    const clauses = r.clauses.length ? ` [${formatClauses(r.clauses)}]` : '';
    writeOut(
      `${r.code.padEnd(width)}  ${r.severity.padEnd(7)}  ${whereItApplies(r).padEnd(whereWidth)}  ${r.summary}${clauses}\n`,
    );
  }
  return EXIT.ok;
}
