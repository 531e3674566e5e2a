#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { CLASSIFY_FORMATS } from '../safety/classification-report.js';
import { RISK_FORMATS } from '../safety/risk-report.js';
import { TRACE_FORMATS } from '../trace/render.js';
import { DOSSIER_VERSION } from '../version.js';
import { runBuild } from './commands/build.js';
import { CHECK_FORMATS, runCheck } from './commands/check.js';
import { runInit } from './commands/init.js';
import { runRules } from './commands/rules.js';
import { runClassify, runRisk } from './commands/safety.js';
import { runSchemas } from './commands/schemas.js';
import { runTrace } from './commands/trace.js';
import { EXIT, UsageError } from './io.js';

/** The CLI only parses arguments and calls the library; each command returns its exit code. */
function program(setExit: (code: number) => void): Command {
  const cli = new Command('dossier')
    .description(
      'IEC 62304 software lifecycle records as code: check them like a compiler, trace them, build the documents.',
    )
    .version(DOSSIER_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    // Set before the subcommands are added: they inherit these settings when created.
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `
Exit codes: 0 clean, 1 findings (errors; warnings too with --strict), 2 usage or configuration error.
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
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .addHelpText(
      'after',
      `
Text output is compiler-style: file:line:col severity code message, with a hint below.
JSON follows docs/json.md (schemas/check-report.schema.json); SARIF 2.1.0 suits code-scanning uploads.
Change a rule's severity in dossier.yaml:  rules: { requirement/untested: error }`,
    )
    .action((dir: string, opts) => setExit(runCheck(dir, opts)));

  cli
    .command('trace')
    .description('Traceability matrices for the configured chains, with gaps marked GAP')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(TRACE_FORMATS).default('text'))
    .option('-c, --chain <name...>', 'only these chains (default: all configured)')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Default chains: requirements (system requirement → software requirement → software item → test)
and risk-controls (hazardous situation → risk control → software requirement → test).
Configure others in dossier.yaml under trace.chains.`,
    )
    .action((dir: string, opts) => setExit(runTrace(dir, opts)));

  cli
    .command('build')
    .description('The main job: run every stage and write all outputs into one folder')
    .argument('[dir]', 'project folder', '.')
    .option('-o, --out <dir>', 'output folder', 'out')
    .addOption(
      new Option('-f, --format <format>', 'summary format').choices(['text', 'json']).default('text'),
    )
    .addHelpText(
      'after',
      `
Writes check/ (report.txt, report.json, report.sarif), trace/ (one .md, .csv and .txt per chain,
matrices.json) and manifest.json (sha256 of every file). Same records, byte-identical files.
Exit 1 when a stage fails (for example, check found errors); everything is still written.`,
    )
    .action((dir: string, opts) => setExit(runBuild(dir, opts)));

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
    .action((dir: string, opts) => setExit(runClassify(dir, opts)));

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
    .action((dir: string, opts) => setExit(runRisk(dir, opts)));

  cli
    .command('init')
    .description('Create a new project with a configuration and starter records that pass check')
    .argument('[dir]', 'folder to create the project in', '.')
    .option('--name <name>', 'device name', 'New device')
    .option('--manufacturer <name>', 'manufacturer', 'Manufacturer')
    .addOption(
      new Option('--class <class>', 'declared software safety class').choices(['A', 'B', 'C']).default('C'),
    )
    .action((dir: string, opts) => setExit(runInit(dir, opts)));

  cli
    .command('rules')
    .description('List every rule with its code, default severity and IEC 62304 clauses')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts) => setExit(runRules(opts)));

  cli
    .command('schemas')
    .description('Write the JSON Schemas of dossier.yaml, records and reports (for editors)')
    .option('-o, --out <dir>', 'output folder', 'schemas')
    .action((opts) => setExit(runSchemas(opts)));

  return cli;
}

export function main(argv: string[]): number {
  let exitCode: number = EXIT.ok;
  const cli = program((code) => {
    exitCode = code;
  });
  try {
    cli.parse(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`dossier: ${error.message}\n`);
      return EXIT.usage;
    }
    const e = error as NodeJS.ErrnoException;
    if (e?.code === 'EACCES' || e?.code === 'ENOSPC' || e?.code === 'EROFS') {
      process.stderr.write(`dossier: cannot write: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(
      `dossier: internal error: ${e?.message ?? String(error)}\nPlease report this with the command you ran${process.env.DOSSIER_DEBUG ? '' : ' (set DOSSIER_DEBUG=1 for details)'}.\n`,
    );
    if (process.env.DOSSIER_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    return EXIT.internal;
  }
}

process.exitCode = main(process.argv);
