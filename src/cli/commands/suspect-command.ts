// `dossier suspect` as the command line offers it; the work is in ./suspect.ts, loaded when it runs.
import { type Command, Option } from 'commander';
import { SUSPECT_FORMATS } from '../../report-formats.js';
import type { SuspectOptions } from './suspect.js';

export function registerSuspectCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('suspect')
    .description(
      'Suspect links (8.2.3, 7.4, ISO 13485 7.3.9): links whose target changed since they were reviewed; --clear records the review',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(
      new Option('-f, --format <format>', 'output format of the list')
        .choices(SUSPECT_FORMATS)
        .default('text'),
    )
    .option('-o, --out <file>', 'write the list to a file instead of standard output')
    .option(
      '--clear <ids...>',
      'mark reviewed: every tracked link of these records, or one link as SOURCE:TARGET',
    )
    .option('--all', 'mark every suspect link of the project reviewed')
    .option('--by <name>', 'who reviewed the links (required with --clear and --all)')
    .option('--review <id>', 'the review record (REV-…) in which the links were reviewed')
    .option('-n, --dry-run', 'show what --clear or --all would record; write nothing')
    .addHelpText(
      'after',
      `
A tracked link says that a record depends on the content of another: a software requirement
derivesFrom a system requirement, a test verifies a requirement, a risk control mitigates a
hazardous situation (the list is in docs/change-control.md). Each such link remembers, in
\`linkReviews\` on the record that holds it, the fingerprint its target had when the link was last
reviewed, who reviewed it and when. When the target changes, the link is suspect: check warns
(link/suspect, naming what changed when git holds the reviewed version) and release check blocks
class B and C records of the release (release/link-suspect). A link never reviewed is suspect too.

Without --clear or --all: lists the suspect links and what changed in each target; exit 1 when
there are any. Look at each: does the record still hold for the target as it is now? Update it if
not. Then record the review:

  --clear ID…          stamps every tracked link of these records with the targets' current
                       fingerprints (and drops stamps of links the record no longer has)
  --clear SRC:TARGET   stamps one link
  --all                stamps every suspect link of the project
  --by NAME            who reviewed them (required); the date is today (DOSSIER_TODAY to fix it)
  --review REV-…       the review record in which they were reviewed, if any

Links already current keep their stamps. Comments and the rest of each file are kept, except inside
\`linkReviews\`, which is written anew in target order; a list with a stamp that does not read is
refused (fix it first: the stamps that are fine would be lost). The stamps are outside the record's
fingerprint, so clearing never makes other links suspect and never voids an approval.

Examples:
  dossier suspect
  dossier suspect examples/infusion-pump --format markdown -o out/suspect.md
  dossier suspect --clear SRS-003 SRS-004 --by "A. Weber"
  dossier suspect --clear SRS-003:SYS-003 --by "A. Weber" --review REV-004
  dossier suspect --all --by "A. Weber" --dry-run`,
    )
    .action(async (dir: string, opts: SuspectOptions) =>
      setExit(await (await import('./suspect.js')).runSuspect(dir, opts)),
    );
}
