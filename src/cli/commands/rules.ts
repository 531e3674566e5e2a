import { formatClauses } from '../../diagnostics/format.js';
import { RULES } from '../../rules/registry.js';
import { EXIT, oneOf } from '../io.js';

export function runRules(options: { format: string }): number {
  const format = oneOf(options.format, ['text', 'json'] as const, '--format');
  if (format === 'json') {
    const rules = RULES.map((r) => ({
      code: r.code,
      severity: r.severity,
      clauses: r.clauses,
      summary: r.summary,
      hint: r.hint,
    }));
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, rules }, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...RULES.map((r) => r.code.length));
  for (const r of RULES) {
    const clauses = r.clauses.length ? ` [${formatClauses(r.clauses)}]` : '';
    process.stdout.write(`${r.code.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}${clauses}\n`);
  }
  return EXIT.ok;
}
