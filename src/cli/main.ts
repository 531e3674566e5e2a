#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { KIND_NAMES } from '../model/kind-names.js';
import {
  CHANGES_FORMATS,
  CHECK_FORMATS,
  CLASSIFY_FORMATS,
  DIFF_FORMATS,
  GAP_SCAN_FORMATS,
  HISTORY_FORMATS,
  IMPACT_FORMATS,
  RELEASE_FORMATS,
  RISK_FORMATS,
  SBOM_FORMATS,
  SCAN_FORMATS,
  SOUP_LIST_FORMATS,
  SUGGEST_FORMATS,
  TRACE_FORMATS,
  VEX_FORMATS,
} from '../report-formats.js';
import { DOSSIER_VERSION } from '../version.js';
import { registerAdvisoriesCommand } from './commands/advisories-command.js';
import { registerDocsCommand } from './commands/docs-command.js';
import { registerInteropCommands } from './commands/interop-command.js';
import { registerSecurityCommand } from './commands/security-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerSignatureCommands } from './commands/signatures-command.js';
import { registerSuspectCommand } from './commands/suspect-command.js';
import { EXIT } from './exit-codes.js';
import { writeErr, writeOut } from './terminal.js';

// Start-up: this module loads only the command line (commander) and the commands' options; each
// command loads its modules when it runs (`await import(…)` in its action), so that `dossier check`
// never parses the document renderers, the importers or the advisory database (rolldown.config.mjs
// splits the bundle along these imports).

/** The CLI only parses arguments and calls the library; each command returns its exit code. */
function program(setExit: (code: number) => void, documentKeys: string | undefined): Command {
  const cli = new Command('dossier')
    .description(
      'IEC 62304 software lifecycle records as code: check them like a compiler, trace them, build the documents.',
    )
    .version(DOSSIER_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    // Options after a subcommand belong to it: `evidence import --version 1.1.0` is not `dossier --version`.
    .enablePositionalOptions()
    // Set before the subcommands are added: they inherit these settings when created.
    .exitOverride()
    .configureOutput({ writeOut: (s) => writeOut(s), writeErr: (s) => writeErr(s) })
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `
Exit codes: 0 clean, 1 findings (errors; warnings too with --strict; record files that did not load),
2 cannot run (usage or configuration error; build, sbom, release check and the imports refuse while
record files do not load, writing nothing).
Every report goes to standard output unless --out is given. Docs: docs/format.md, docs/json.md.

Examples:
  dossier init my-device               create a project with starter records
  dossier check                        check the project in the current folder
  dossier check --format sarif --out dossier.sarif
  dossier trace --format markdown      traceability matrices
  dossier build --out out              everything, into one folder`,
    );

  cli
    .command('check')
    .description('Check every record: syntax, schema, ids, links, traceability and risk-control rules')
    .argument('[dir]', 'project folder (holds dossier.yaml)', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(CHECK_FORMATS).default('text'))
    .option('--strict', 'fail (exit 1) on warnings as well as errors')
    .option(
      '--advisories <db>',
      'advisory database for SOUP vulnerability rules (default: .dossier/advisories.sqlite when present)',
    )
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option(
      '--no-cache',
      'neither use nor write the parse cache in .dossier/cache/ (also DOSSIER_NO_CACHE=1)',
    )
    .addHelpText(
      'after',
      `
Text output is compiler-style: file:line:col severity code message, with a hint below.
JSON follows docs/json.md (schemas/check-report.schema.json); SARIF 2.1.0 suits code-scanning uploads.
Change a rule's severity in dossier.yaml:  rules: { requirement/untested: error }`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/check.js')).runCheck(dir, opts)),
    );

  cli
    .command('trace')
    .description('Traceability matrices for the configured chains, with gaps marked GAP')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(TRACE_FORMATS).default('text'))
    .option('-c, --chain <name...>', 'only these chains (default: all configured)')
    .option('--results <version>', 'add a column: is each row verified by tests that passed on this version?')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Default chains: requirements (system requirement → software requirement → software item → test)
and risk-controls (hazardous situation → risk control → software requirement → test).
Configure others in dossier.yaml under trace.chains.

With --results 1.1.0, rows whose tests failed, were skipped or were not run on 1.1.0 say UNVERIFIED
(results come from the test-run records that \`dossier evidence import\` writes).`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/trace.js')).runTrace(dir, opts)),
    );

  cli
    .command('build')
    .description('The main job: run every stage and write all outputs into one folder')
    .argument('[dir]', 'project folder', '.')
    .option('-o, --out <dir>', 'output folder', 'out')
    .addOption(
      new Option('-f, --format <format>', 'summary format').choices(['text', 'json']).default('text'),
    )
    .option(
      '--advisories <db>',
      'advisory database for the SOUP scan (default: .dossier/advisories.sqlite when present)',
    )
    .addHelpText(
      'after',
      `
Writes check/ (report.txt, report.json, report.sarif), trace/ (one .md, .csv and .txt per chain,
matrices.json), risk/, classification/, soup/ (CycloneDX and SPDX SBOMs, CycloneDX and OpenVEX
VEX, the SOUP list in Markdown and CSV, and the vulnerability scan when advisory data is loaded)
and manifest.json (sha256 of every file). Same commit and advisory data, byte-identical files.
Exit 1 when a stage fails (for example, check found errors); everything is still written.
Exit 2, nothing written, while any record file does not load. Outputs are dated by SOURCE_DATE_EPOCH,
else the commit date of HEAD, else the current time.`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/build.js')).runBuild(dir, opts)),
    );

  cli
    .command('classify')
    .description(
      'Software safety class (IEC 62304 4.3) of the system and every item, computed from the risk file',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(CLASSIFY_FORMATS).default('text'))
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
The class follows the AMD1 decision flow: can the software contribute to a hazardous situation (Q1);
with the software failure taken as certain and only external risk controls, is the risk unacceptable
(Q2); is the worst harm death or serious injury (C) or not (B). Children inherit their parent's class
unless segregated (4.3 d); items implementing risk controls take the class of the risk (7.2.2 b).
Also prints the FDA documentation level (Basic/Enhanced) and, when configured, the 2005 level of concern.`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/safety.js')).runClassify(dir, opts)),
    );

  cli
    .command('risk')
    .description('ISO 14971 risk table (initial and residual) and risk matrices before and after controls')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(RISK_FORMATS).default('text'))
    .addOption(
      new Option('--matrix <phase>', 'with --format svg: which matrix to draw')
        .choices(['initial', 'residual'])
        .default('initial'),
    )
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/safety.js')).runRisk(dir, opts)),
    );

  cli
    .command('init')
    .description('Create a new project with a configuration and starter records that pass check')
    .argument('[dir]', 'folder to create the project in', '.')
    .option('--name <name>', 'device name', 'New device')
    .option('--manufacturer <name>', 'manufacturer', 'Manufacturer')
    .addOption(
      new Option('--class <class>', 'declared software safety class (device profile)')
        .choices(['A', 'B', 'C'])
        .default('C'),
    )
    .addOption(
      new Option(
        '--profile <profile>',
        'device (IEC 62304) or production-software (validation of production or quality system software, FDA CSA; docs/csa.md)',
      )
        .choices(['device', 'production-software'])
        .default('device'),
    )
    .option(
      '--cyber-device',
      'declare a cyber device (FD&C 524B(c): software that can connect to the internet, directly or indirectly)',
    )
    .option('--no-cyber-device', 'declare that the device is not a cyber device')
    .addHelpText(
      'after',
      `
dossier.yaml gets device.cyberDevice. Without --cyber-device or --no-cyber-device, init asks at a
terminal; otherwise (a script, CI) it writes false with a comment asking you to decide. A device
that includes software and can connect to the internet, directly or indirectly, is a cyber device
(FD&C 524B; FDA premarket cybersecurity guidance); check warns while the declaration is missing.`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/init.js')).runInit(dir, opts)),
    );

  cli
    .command('new')
    .description('Create a record of a kind from its template, with the next free id')
    .argument('<kind>', 'record kind, e.g. software-requirement (dossier new --help lists them)')
    .argument('[dir]', 'project folder', '.')
    .option('--title <title>', 'the title (else a TODO placeholder that check reports)')
    .option(
      '--in <file-or-dir>',
      'project-relative folder (a new KIND-ID.md), .md file, or collection file to add the record to (default: beside the newest record of the kind)',
    )
    .option('--id <id>', 'use this id instead of the next free one (refused when in use)')
    .option('-n, --dry-run', 'show the id, the file and the record without writing')
    .addHelpText(
      'after',
      `
The record has the kind's required fields and its links as commented placeholders marked TODO:
it loads, and dossier check reports each required field until it is filled in.

The id is the next number above every id of the kind's prefix in the working tree and in the trees
of every local and remote-tracking branch (read from git, nothing checked out), so branches that
have seen each other's work never collide. Work not yet fetched can still collide: after a merge,
check reports id/duplicate, and \`dossier renumber OLD NEW --file <path>\` gives one record a new id.

Kinds: ${KIND_NAMES.join(', ')}.

Examples:
  dossier new software-requirement --title "Occlusion alarm"
  dossier new test --in records/tests/system-tests.yaml
  dossier new hazard examples/infusion-pump --dry-run`,
    )
    .action(async (kind: string, dir: string, opts) =>
      setExit((await import('./commands/new.js')).runNew(kind, dir, opts)),
    );

  cli
    .command('renumber')
    .description('Give a record a new id and update every reference to it (links, code tags, dossier.yaml)')
    .argument('<old>', 'the id now')
    .argument('<new>', 'the new id (same prefix, not in use)')
    .argument('[dir]', 'project folder', '.')
    .option(
      '--file <path>',
      'when two records have the old id (after a merge): the project-relative file of the one to renumber',
    )
    .option('-n, --dry-run', 'list every change without writing')
    .addHelpText(
      'after',
      `
Changes the record's id and every exact reference to it: links and other id fields of every record
(Markdown and collections), link review stamps, review fingerprints, dossier.yaml (software.system),
and the @implements / @verifies code tags in codeTags.sources. Comments and everything else stay as
written; all files are written or none. Ids mentioned in prose are listed, not changed. A Markdown
file named after the old id keeps its name: rename it with git mv.

Refused: a malformed id, a new id in use (working tree or any branch), another prefix than the
record's kind, and a record with signatures (signatures/<ID>.yaml): a signature names the record it
signs, so renumbering would void it. Records whose links change and that are signed lose their
signatures' validity: they are listed, to be signed again.

When the old id is used by two records (a merge of two branches), --file names the record to
renumber; references are then left as they are (they are ambiguous) and listed for a person to
decide.

Examples:
  dossier renumber SRS-014 SRS-015
  dossier renumber SRS-014 SRS-021 --file records/software/SRS-014-alarm.md --dry-run`,
    )
    .action(async (from: string, to: string, dir: string, opts) =>
      setExit((await import('./commands/renumber.js')).runRenumber(from, to, dir, opts)),
    );

  cli
    .command('migrate')
    .description(
      "Move the project's pinned ruleset: show what the new rules report differently, then update the pin",
    )
    .argument('[dir]', 'project folder', '.')
    .option('--to <version>', "the ruleset to move to (default: this Dossier's current ruleset)")
    .option('-n, --dry-run', 'show the differences without changing dossier.yaml')
    .addHelpText(
      'after',
      `
Runs check under the pinned ruleset (the current one when none is pinned) and under the target,
lists the findings that would be new and those that would be gone, by rule and record, then writes
\`ruleset: "<version>"\` into dossier.yaml (comments and the rest of the file kept; atomic).
Exit 0 when the pin was moved (or, with --dry-run, would be); 2 when the target is not a ruleset of
this Dossier.

Examples:
  dossier migrate --dry-run
  dossier migrate --to 2026.12`,
    )
    .action(async (dir: string, opts) =>
      setExit((await import('./commands/migrate.js')).runMigrate(dir, opts)),
    );

  const soup = cli
    .command('soup')
    .description('SOUP (third-party software): import lockfiles and SBOMs, scan for vulnerabilities, list')
    .addHelpText(
      'after',
      `
Examples:
  dossier soup import package-lock.json Cargo.lock    create or update SOUP records, nothing lost
  dossier soup scan                                   advisories affecting each SOUP version, with evaluations
  dossier soup scan --since 2026-11-01                postmarket: what is new or changed since a date
  dossier soup scan --since last                      ... or since the last scan
  dossier soup list --format csv --out soup.csv       the SOUP list reviewers ask for`,
    );

  soup
    .command('import')
    .description('Create or update SOUP records from lockfiles and SBOMs (non-destructive)')
    .argument('[files...]', 'lockfiles or SBOMs (default: soup.lockfiles in dossier.yaml)')
    .option('-C, --dir <dir>', 'project folder', '.')
    .option(
      '--into <file>',
      'collection file for new records (default: soup.importInto or records/soup/imported.yaml)',
    )
    .option('--include-dev', 'also import development-only dependencies (test and build tools)')
    .option('--format <reader>', 'read the files as this format instead of detecting it')
    .option('--date <YYYY-MM-DD>', 'date recorded for version changes and removals (default: today)')
    .option('-n, --dry-run', 'show what would change without writing')
    .option('--allow-empty', 'accept a lockfile that lists no components (marks its SOUP removed)')
    .option(
      '--used-by <item>',
      'software item that uses the new direct components: they are added to its `uses` (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addHelpText(
      'after',
      `
Reads: package-lock.json (v1-v3), npm-shrinkwrap.json, yarn.lock (classic, berry), pnpm-lock.yaml,
requirements.txt (pinned), poetry.lock, Pipfile.lock, uv.lock, Cargo.lock, go.mod, go.sum, pom.xml,
gradle.lockfile, conan.lock, vcpkg.json, CycloneDX 1.4-1.6 (JSON, XML) and SPDX 2.2/2.3 JSON.

New components become draft records; a changed version is updated and recorded under versionChanges,
which needs an evaluation (7.4.1); a component gone from the file is marked removed, never deleted,
and leaves the dependsOn of the others. What people wrote (requirements, systemRequirements,
anomalyReview, support level, text, comments) is never changed. SBOM support properties fill empty
supportLevel/endOfSupport fields, named in supportSource. New records fill records/soup/imported.yaml
to half the record-file size limit, then imported-2.yaml, …; nothing is written that would not
load. Files are written atomically.`,
    )
    .action(async (files: string[], opts) =>
      setExit(await (await import('./commands/soup.js')).runSoupImport(files, opts)),
    );

  soup
    .command('scan')
    .description('List the advisories that affect each SOUP version, with their evaluations')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SCAN_FORMATS).default('text'))
    .option(
      '--advisories <db>',
      'advisory database (default: soup.advisoryDatabase or .dossier/advisories.sqlite)',
    )
    .option(
      '--since <date|last>',
      'postmarket view: only advisories new or changed since a date, or since the last scan',
    )
    .option('--no-save', 'do not remember this scan for --since last')
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Exit codes: 0 when every finding has an evaluation for the version in use; 1 when any needs one
(with --since: any new or changed finding that needs one, or whose advisory changed after its
evaluation); 2 when there is no advisory data (run: dossier advisories import <all.zip>).`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/soup.js')).runSoupScan(dir, opts)),
    );

  soup
    .command('list')
    .description('The human-readable SOUP list (8.1.2, 5.3.3, 5.3.4, 7.1.3, FDA support)')
    .argument('[dir]', 'project folder', '.')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(SOUP_LIST_FORMATS).default('markdown'),
    )
    .option('--advisories <db>', 'advisory database, used to add advisory aliases and summaries')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/soup.js')).runSoupList(dir, opts)),
    );

  soup
    .command('suggest-cpe')
    .description('Propose CPE 2.3 names for SOUP without a cpe, for people to confirm (never written)')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SUGGEST_FORMATS).default('text'))
    .option(
      '--advisories <db>',
      'advisory database whose NVD data is the dictionary (default: soup.advisoryDatabase or .dossier/advisories.sqlite)',
    )
    .option('--all', 'also suggest for SOUP that already has a cpe (to compare)')
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Candidates come from the vendor/product pairs the NVD data in the advisory database names (basis
nvd-dictionary), else from the record's name, manufacturer, purl and repository (basis heuristic).
Nothing is written and a suggestion is never matched: check it against the NVD CPE dictionary and
copy it into the record's cpe field. Exit code 0 (2 on a usage error).`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/soup.js')).runSoupSuggestCpe(dir, opts)),
    );

  cli
    .command('sbom')
    .description('The SBOM (CycloneDX 1.6 or SPDX 2.3 JSON) with FDA support fields, or VEX')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'SBOM format').choices(SBOM_FORMATS).default('cyclonedx'))
    .addOption(
      new Option('--vex <format>', 'write the vulnerability evaluations as VEX instead').choices(VEX_FORMATS),
    )
    .option('--advisories <db>', 'advisory database, used to add advisory aliases and summaries')
    .option(
      '--release <version>',
      "describe that release's SOUP (its release record must exist) instead of software.version",
    )
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
With --release, the SBOM describes the SOUP of that release: items introduced in a later version
and SOUP removed on or before the release date are left out, and a version changed after the
release date is given as it was released.

Each component carries the NTIA minimum elements (supplier, name, version, purl, dependency
relationship; author and timestamp on the document) and the FDA support fields as cdx:fda:*
properties (SPDX: validUntilDate and annotations). The timestamp is SOURCE_DATE_EPOCH when set, else
the commit date of HEAD, else the current time, so the same commit gives byte-identical files.
Refused (exit 2, nothing written) while any record file does not load.`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/soup.js')).runSbom(dir, opts)),
    );

  const evidence = cli
    .command('evidence')
    .description('Verification evidence: import test reports as test-run records (5.6.7, 5.7.5)');

  evidence
    .command('import')
    .description('Import JUnit XML reports as test-run records; the same report twice changes nothing')
    .argument(
      '<files...>',
      'JUnit XML reports (Surefire, pytest, Jest, Vitest, mocha, Go, GoogleTest, CTest, bazel …)',
    )
    .option('-C, --dir <dir>', 'project folder', '.')
    .option('--version <version>', 'software version or build tested (5.7.5 c); required')
    .option('--executed-by <name>', 'who ran and recorded the tests (5.7.5 g); default $DOSSIER_EXECUTED_BY')
    .option('--environment <text>', 'hardware and software test configuration (5.7.5 d)')
    .option('--tool <name...>', 'test tools and versions (5.7.5 e); default: the tool the report names')
    .option('--date <YYYY-MM-DD>', 'when the tests ran (5.7.5 f); default: the report timestamp, else today')
    .option('--level <level>', 'unit, integration, system or validation')
    .option('--commit <id>', 'commit or build id tested')
    .option('--into <dir>', 'folder for the new test-run records', 'records/evidence')
    .addHelpText(
      'after',
      `
A result maps to a test record by a JUnit property (test, test_id, dossier), by an id in its name
(e.g. "[TC-012] rejects empty rate" or test_TC_012), or by a pattern on the test record
(patterns: ["OcclusionSuite.*"]). Unmapped results are listed and kept in the record.

Examples:
  dossier evidence import build/test-results/*.xml --version 1.1.0 --executed-by "CI runner sp200-ci-3" \\
    --environment "STM32H743 HIL rig #2, bootloader 1.0.4" --level integration`,
    )
    .action(async (files: string[], opts) =>
      setExit(await (await import('./commands/evidence.js')).runEvidenceImport(files, opts)),
    );

  const release = cli
    .command('release')
    .description('Release gate (5.8): what blocks a version from release, and its evidence manifest');

  release
    .command('check')
    .description('List every blocker of a release by clause; exit 1 while any remains')
    .argument('<version>', 'the software version to release, as in its release record')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(RELEASE_FORMATS).default('text'))
    .option(
      '--advisories <db>',
      'advisory database, to check SOUP vulnerabilities (default: .dossier/advisories.sqlite when present)',
    )
    .option(
      '--manifest <file>',
      'where to write the evidence manifest (default: out/release-<version>/evidence-manifest.json)',
    )
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Blockers: a missing or incomplete release record (5.8.4-5.8.8) or configuration (8.1.3); errors from
dossier check (5.8.1);
software requirements without a system test that passed on this version (5.7.1, 5.7.4); class B/C
items without a passing integration test (5.6) and units without unit verification (5.5.5), class C
units without the eight 5.5.4 criteria; requirements, items and class C units not covered by a
passed review of their current content made by the release date (5.2.6, 5.3.6, 5.4.4); unverified
risk controls (7.3.1); tests that failed, were
skipped or not run on this version; test reports changed since import; unresolved problems not
listed as known anomalies (5.8.2) or not evaluated (5.8.3); open change requests (8.2); SOUP
vulnerabilities without an evaluation (7.1.3, with advisory data); requirements, items, risk
controls, tests and test runs of the release that are not approved (5.2.6, 5.7.5, ISO 13485 7.3;
per kind in dossier.yaml release.approvals); residual risks not evaluated, or unacceptable without a
benefit-risk conclusion (ISO 14971 7.3, 7.4, 8); external risk controls credited for the class but
not verified on this version (4.3 a); a release record without approvedBy and approvedOn (5.8);
a carried-forward result (carriedForward) inside the impact of a record or source change since its
tested commit, or that git cannot check (5.6.6, 8.2.3; docs/change-impact.md).

Only results on this version count, and results the release record carries forward that pass that
check: any other pass on an earlier version is reported as "not run".
While any record file does not load, there is no verdict: exit 2, no manifest written.

Examples:
  dossier release check 1.1.0
  dossier release check 1.1.0 --format json --advisories .dossier/advisories.sqlite`,
    )
    .action(async (version: string, dir: string, opts) =>
      setExit(await (await import('./commands/release.js')).runReleaseCheck(version, dir, opts)),
    );

  release
    .command('record')
    .description("Fill in a release record's configuration (8.1.3) from git and the records")
    .argument('<version>', 'the software version, as in its release record')
    .argument('[dir]', 'project folder', '.')
    .option('-n, --dry-run', 'show what would change without writing')
    .option(
      '--commit <revision>',
      'the commit the release was built from (default: the tag v<version> or <version>)',
    )
    .addHelpText(
      'after',
      `
Writes \`configuration\` into the release record of the version: the commit of its tag (v<version>
or <version>; or --commit) and the tag (both kept when already recorded), the SOUP baseline (each
SOUP of the version at its version then) and the software items of the version, each with the last
commit up to the release commit that changed its sourceFiles. What only people know stays theirs: buildId, artifacts (file
and sha256) and tools (name and version). A version without a release record gets one, a draft beside the
other release records, whose text lists what people still have to record. An approved release
record is not changed: its
configuration is part of what was approved. release check blocks a release whose configuration is
missing or disagrees with the records (release/configuration-incomplete).

Examples:
  dossier release record 1.2.0
  dossier release record 1.2.0 --dry-run`,
    )
    .action(async (version: string, dir: string, opts) =>
      setExit(await (await import('./commands/release-record.js')).runReleaseRecord(version, dir, opts)),
    );

  release
    .command('changes')
    .description('Configuration status accounting (8.3): what changed between two releases')
    .argument('<from>', 'the earlier version, as in its release record')
    .argument('<to>', 'the later version')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(CHANGES_FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Lists the change requests the later release includes and the earlier one did not, the problem
reports they address, the problem reports reported between the two release dates, the known
anomalies added and no longer listed, the SOUP added, removed or changed in version (from the
releases' configuration, else computed from the SOUP records, as the notes say), and the software
items added or removed.

Examples:
  dossier release changes 1.0.0 1.1.0
  dossier release changes 1.0.0 1.1.0 --format markdown -o out/changes-1.1.0.md`,
    )
    .action(async (from: string, to: string, dir: string, opts) =>
      setExit(await (await import('./commands/release-record.js')).runReleaseChanges(from, to, dir, opts)),
    );

  cli
    .command('impact')
    .description('Change impact (6.2.3, 7.4, 8.2): what a change touches and the regression tests to run')
    .argument('[change-request]', 'the change request (CR-…); its `changes` are the changed records')
    .option('-C, --dir <dir>', 'project folder', '.')
    .option('--records <ids>', 'the changed records, comma-separated, instead of a change request')
    .addOption(new Option('-f, --format <format>', 'output format').choices(IMPACT_FORMATS).default('text'))
    .option('--write', "record the result into the change request's `impact` field")
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option('--510k', "walk FDA's 510(k) software-change questions for the change request instead")
    .option(
      '--cleared <version>',
      'with --510k: the cleared version to compare with (default: the latest `cleared` release)',
    )
    .option(
      '--answers <file>',
      "with --510k: people's answers (YAML, schemas/submission-answers.schema.json)",
    )
    .option('--record', "with --510k: record a person's decision as the change request's submissionDecision")
    .option('--by <name>', 'with --record: who decided')
    .option('--outcome <outcome>', 'with --record: document-only, new-510k or pre-submission')
    .option('--rationale <text>', 'with --record: why')
    .addHelpText(
      'after',
      `
From the changed records: what they trace to (upstream), what derives from them (downstream), the
items containing a changed item, the safety classes involved, the hazardous situations and risk
controls to revisit (7.4.2, 7.4.3) and the regression tests, each with the links that select it.
--write records the result as \`impact\` in the change request; \`impactAnalysis\`, the team's own
assessment, is left as written. Exit 1 when a link in the impact does not resolve. Docs:
docs/change-impact.md.

Examples:
  dossier impact CR-001
  dossier impact --records SRS-012,SOUP-007 --format markdown
  dossier impact CR-006 --write
  dossier impact CR-006 --510k --answers cr-006-510k.yaml

--510k compares the records at the most recently cleared version (a release record with
\`cleared\`) with now, shows per question what the records show, walks the flow with the answers
file and says where it points. It never decides: --record --by --outcome --rationale records a
person's decision, citing the guidance version.`,
    )
    .action(async (cr: string | undefined, opts) =>
      setExit(await (await import('./commands/impact.js')).runImpact(cr, opts)),
    );

  const review = cli
    .command('review')
    .description('Reviews of design outputs (5.2.6, 5.3.6, 5.4.4, 5.5.2): bind a review to what it reviewed');

  review
    .command('fingerprint')
    .description("Write the content fingerprint of every reviewed record into a review's `fingerprints`")
    .argument('<review...>', 'review ids (REV-…)')
    .option('-C, --dir <dir>', 'project folder', '.')
    .option(
      '--check',
      'only report which fingerprints are missing or stale (exit 1 when any is); write nothing',
    )
    .addHelpText(
      'after',
      `
Run it when the review takes place, after \`reviewed\` lists what was reviewed: it writes the
fingerprint (fp1, docs/format.md#fingerprints) of each reviewed record as it is now, so a later
change to one of them shows: dossier check reports review/stale, and the release gate counts the
record as unreviewed until a review covers its new content. Comments and the rest of the file are
kept; fingerprints of records no longer in \`reviewed\` are dropped. An approved review is not
changed: what it reviewed is part of what was approved. --check lists each reviewed record as
current, changed (with the fields that changed, when git holds the reviewed version) or without a
fingerprint.

Examples:
  dossier review fingerprint REV-004 -C examples/infusion-pump
  dossier review fingerprint REV-001 REV-002 --check`,
    )
    .action(async (ids: string[], opts) =>
      setExit(await (await import('./commands/review.js')).runReviewFingerprint(ids, opts)),
    );

  registerSignatureCommands(cli, setExit);

  cli
    .command('diff')
    .description('What changed between two revisions: records, links, classes, risks, SOUP (8.1.3, 8.2)')
    .argument('<rev1>', 'the earlier revision: a release version (its tag), tag, branch or commit')
    .argument('[rev2]', 'the later revision (default: the working tree)')
    .option('-C, --dir <dir>', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
    .option(
      '--advisories <db>',
      'advisory database, to compare SOUP vulnerability states (default: .dossier/advisories.sqlite when present)',
    )
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Records are matched by id: a record moved to another file, or between a Markdown file and a
collection, is not changed (the diff says where it moved). Changed records list each part that
changed (title, tags, text, each field and link; status and approval fields marked "not content").
Also: links added and removed, computed safety classes, risk estimates, SOUP versions and, with
--advisories, vulnerability states. Both revisions are read from git objects; nothing is checked out.
A release version resolves to its tag (v1.0.0 or 1.0.0), else its release record's configuration.commit.
JSON: schemas/diff-report.schema.json. Exit 1 when record files did not load on a side.

Examples:
  dossier diff 1.0.0 1.1.0
  dossier diff v1.1.0                       the release against the working tree
  dossier diff main HEAD --format markdown -o changes.md`,
    )
    .action(async (rev1: string, rev2: string | undefined, opts) =>
      setExit(await (await import('./commands/diff.js')).runDiff(rev1, rev2, opts)),
    );

  cli
    .command('history')
    .description(
      'Every change to one record in git: commit, author, date, what changed; approvals given and voided',
    )
    .argument('<id>', 'record id')
    .option('-C, --dir <dir>', 'project folder', '.')
    .option('--rev <revision>', 'history up to this revision (default: HEAD and the uncommitted changes)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(HISTORY_FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Follows the record by id across files, renames and moves between Markdown files and collections,
oldest first; each change lists the parts that changed with their values (status and approval
fields marked "not content"). Approvals are the entries of signatures/<ID>.yaml: each is valid while
the record's content is the content signed, and void from the first later change (listed, not
verified: dossier check verifies signatures). Reads git objects only; nothing is checked out.
JSON: schemas/history-report.schema.json. Exit 1 when a version could not be read.

Examples:
  dossier history SRS-012
  dossier history SRS-012 --format markdown -o SRS-012-history.md`,
    )
    .action(async (id: string, opts) =>
      setExit(await (await import('./commands/history.js')).runHistory(id, opts)),
    );

  cli
    .command('gap-scan')
    .description(
      "Gap assessment: every IEC 62304 clause 4.1-9.8 at the project's classes, the FDA software documentation, 524B cybersecurity and QMSR design controls",
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(GAP_SCAN_FORMATS).default('text'))
    .option('--version <version>', 'the software version whose test results and release record are judged')
    .option(
      '--allow <clause=reason>',
      'accept a known gap: the clause no longer fails the scan and every report shows the reason (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--advisories <db>',
      'advisory database, to check SOUP vulnerabilities (default: .dossier/advisories.sqlite when present)',
    )
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option(
      '--no-cache',
      'neither use nor write the parse cache in .dossier/cache/ (also DOSSIER_NO_CACHE=1)',
    )
    .addHelpText(
      'after',
      `
Each clause gets a status: evidence-found, partial, no-evidence or not-applicable (never "met": code
finds evidence, people judge its adequacy), with the evidence found, what is missing and a hint.
A clause applies when Table A.1 applies it at a class present among the software items.
The text report counts by process and lists the gaps, what blocks a submission first; json is a
versioned contract (docs/gap-scan.md); markdown and html add a clause-by-process heat map (svg alone).

The version judged: --version, else software.version when it has a release record, else the latest
dated release record, else software.version.

Exit codes: 0 when every applicable clause has some evidence or is accepted with --allow, 1 while an
applicable clause has no evidence, 2 usage error or incomplete project (record files that do not load).

Examples:
  dossier gap-scan
  dossier gap-scan --format html --out gap-scan.html
  dossier gap-scan --allow "5.1.12=static analysis is being introduced under CR-014"`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await import('./commands/gap-scan.js')).runGapScan(dir, opts)),
    );

  cli
    .command('rules')
    .description(
      'List every rule of the current ruleset with its code, default severity and IEC 62304 clauses',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => setExit(await (await import('./commands/rules.js')).runRules(opts)));

  cli
    .command('schemas')
    .description('Write the JSON Schemas of dossier.yaml, records and reports (for editors)')
    .argument(
      '[dir]',
      'a project: its custom fields and id prefixes go into the record schemas, written to <dir>/schemas',
    )
    .option('-o, --out <dir>', 'output folder (default: <dir>/schemas for a project, else schemas)')
    .addHelpText(
      'after',
      `
Editors with the YAML language server (VS Code's YAML extension, JetBrains IDEs, Neovim, Helix)
validate and complete a YAML file whose first line names its schema:
  # yaml-language-server: $schema=schemas/config.schema.json        (dossier.yaml)
  # yaml-language-server: $schema=../../schemas/collection.schema.json  (records/x/y.yaml)
\`dossier init\` writes these lines and the schemas; run \`dossier schemas <dir>\` again after
changing customFields or ids. Front matter in Markdown records is not validated by editors:
\`dossier check\` is what checks it (docs/format.md#editor-support).`,
    )
    .action(async (dir: string | undefined, opts) =>
      setExit(await (await import('./commands/schemas.js')).runSchemas(dir, opts)),
    );

  cli
    .command('self-validate')
    .description(
      'Validate this installation for your intended use: run the acceptance suite shipped in the package against its own CLI and write the Tool Validation Report',
    )
    .requiredOption('-o, --out <dir>', 'folder for the report (Markdown, HTML, JSON) and the JUnit results')
    .addHelpText(
      'after',
      `
Runs validation/acceptance/*.test.mjs (node:test, no dev dependency) in a child process, then writes
tool-validation-report.md and .html (intended use, tool risk per feature per FDA CSA, assurance
activities, requirements with their acceptance tests and the results of this run, known anomalies,
environment, approval block), tool-validation-report.json and acceptance-junit.xml.
Places marked "TO BE COMPLETED BY THE USER" are yours to fill in before approval (docs/validation.md).
Exit 0 when every acceptance test passed, 1 otherwise. Dated by SOURCE_DATE_EPOCH, else the clock.`,
    )
    .action(async (opts) =>
      setExit(await (await import('./commands/self-validate.js')).runSelfValidate(opts)),
    );

  registerAdvisoriesCommand(cli, setExit);
  registerSecurityCommand(cli, setExit);
  registerSuspectCommand(cli, setExit);
  registerDocsCommand(cli, setExit, documentKeys);
  registerInteropCommands(cli, setExit);
  registerServeCommand(cli, setExit);
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  // Only `dossier docs …` can show the help that lists the documents (src/cli/commands/docs-command.ts).
  const documentKeys = argv.slice(2).includes('docs')
    ? (await import('../docs/registry.js')).documentKeysHelp()
    : undefined;
  const cli = program((code) => {
    exitCode = code;
  }, documentKeys);
  try {
    await cli.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
        ? EXIT.ok
        : EXIT.usage;
    }
    return (await import('./failure.js')).reportFailure(error);
  }
}

// `dossier … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// Not a top-level await: the command is compiled as CommonJS (src/cli/code-cache.ts).
void main(process.argv).then((code) => {
  process.exitCode = code;
});
