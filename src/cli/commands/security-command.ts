/**
 * The options of `dossier security` and `dossier security report`; their modules load when they run
 * (src/cli/main.ts: start-up reads only the command line).
 */
import { type Command, Option } from 'commander';
import { SECURITY_FORMATS } from '../../report-formats.js';

export function registerSecurityCommand(cli: Command, setExit: (code: number) => void): void {
  const security = cli
    .command('security')
    .description(
      'Cybersecurity (FDA premarket guidance, 524B): threat model, security risks, controls by category, trace threat → test, testing, architecture views',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SECURITY_FORMATS).default('text'))
    .option(
      '-o, --out <dir>',
      'write the report and the four security architecture views (SVG) into this folder',
    )
    .addHelpText(
      'after',
      `
Prints the threat model (every interface, and whether threats were assessed for it), the security
risk table (before and after control, acceptability from dossier.yaml securityRisk, controls,
hazardous situations they lead to), the controls by the eight categories of the FDA guidance's
Appendix 1 (a category without a control says "none"), the traceability threat → risk → control →
requirement → test (each gap named "missing") and the security testing (type, tester and
independence, version, findings by disposition).

With --out DIR: security.txt (or security.json) and the views global-system-view.svg,
multi-patient-harm-view.svg, updatability-view.svg and security-use-case-views.svg.
JSON: schemas/security-report.schema.json. Exit 0; 1 when record files did not load; 2 usage error.
The rules are enforced by dossier check; postmarket: dossier security report.

Examples:
  dossier security
  dossier security --out out/security
  dossier security --format json`,
    )
    .action(async (dir: string, opts) => setExit((await import('./security.js')).runSecurity(dir, opts)));

  security
    .command('report')
    .description(
      'Postmarket: open vulnerabilities, vulnerability problem reports and security-test findings with their deadlines; TPLC metrics',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SECURITY_FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option(
      '--advisories <db>',
      'advisory database for the SOUP scan (default: .dossier/advisories.sqlite when present)',
    )
    .addHelpText(
      'after',
      `
Open items: SOUP vulnerability findings without a current evaluation (the SOUP scan; without advisory
data the SOUP is said to be NOT CHECKED), problem reports with origin vulnerability not closed, and
security-test findings with disposition open. Each gets a deadline: its identification date (the
advisory's publication, the problem report's \`reported\`, the test's \`date\`) plus dossier.yaml
security.patchDays for its criticality; an unknown criticality counts as critical.

Metrics, per problem report with origin vulnerability: days from \`reported\` to the first history
entry resolved or closed (fix), and to the first dated release including a change request that
addresses it (deployed update); "not computable" with the reason when the records lack the data.

JSON: schemas/security-postmarket.schema.json. Exit 1 while an item is overdue, or has no deadline
because its identification date is not recorded (with patch timelines configured), or record files
did not load; 2 usage error.

Examples:
  dossier security report
  DOSSIER_TODAY=2027-01-15 dossier security report --format json`,
    )
    .action(async (dir: string, opts) =>
      setExit((await import('./security.js')).runSecurityPostmarket(dir, opts)),
    );

  security
    .command('import-findings')
    .description(
      'Merge the findings of a security test run (CSV, JSON or SARIF) into a security-test record: new ones open, known ones updated, none removed',
    )
    .argument('<file>', 'the findings: .csv, .json (generic format) or .sarif (SARIF 2.1.0)')
    .argument('[dir]', 'project folder', '.')
    .requiredOption('--test <id>', 'the security-test record (ST-…) the run belongs to')
    .addOption(
      new Option('--format <format>', 'input format (default: from the file name)').choices([
        'csv',
        'json',
        'sarif',
      ]),
    )
    .option('--dry-run', 'print what would change; write nothing')
    .addHelpText(
      'after',
      `
The generic format (docs/format.md, "Importing security findings"): CSV with a header row naming the
columns id, title, severity, cwe, location, description in any order (id and title required; a
UTF-8 byte order mark, quoted cells and ; or tab as delimiter are fine), or a JSON array of objects
with those fields. SARIF: each result not suppressed is a finding with the id rule@file:line.

A finding whose id the record does not have is appended with disposition open, so
security/finding-open reports it until people record resolved, accepted or problem-report. A
finding already recorded gets the run's title, severity and location (and its cwe and description
where it had none); its disposition, resolution and problem report stay as people wrote them.
A recorded finding the run does not report is listed as "not in this run" and kept. The record is
edited in place: comments and every other line stay as they are; all or nothing.

Exit 0 (also with nothing to change); 2 usage error, bad input (named by file and line) or record
files that did not load: nothing written.

Examples:
  dossier security import-findings pentest-2026.csv --test ST-001
  dossier security import-findings zap.sarif --test ST-002 --dry-run`,
    )
    .action(async (file: string, dir: string, opts) =>
      setExit((await import('./security-findings.js')).runImportFindings(file, dir, opts)),
    );
}
