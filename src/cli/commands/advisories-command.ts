// `dossier advisories …` as the command line offers it; the work is in ./advisories.ts, loaded when it runs.
import { type Command, Option } from 'commander';
import { formatLimit, LIMITS, type LimitKey } from '../../model/limits.js';
import { ADVISORIES_FORMATS as FORMATS } from '../../report-formats.js';
import { OSV_BASE_URL } from '../../soup/advisories/osv-base-url.js';
import type {
  AdvisoriesImportOptions,
  AdvisoriesStatusOptions,
  AdvisoriesSyncOptions,
} from './advisories.js';

const limitOption = (key: LimitKey) =>
  new Option(
    `${LIMITS[key].option} <${LIMITS[key].unit === 'ratio' ? 'ratio' : 'size'}>`,
    `${LIMITS[key].description} (default: limits.${key} of dossier.yaml, else ${formatLimit(key, LIMITS[key].default)})`,
  );

const dbOption = () =>
  new Option(
    '--db <file>',
    'advisory database (default: $DOSSIER_ADVISORY_DB, else <dir>/.dossier/advisories.sqlite)',
  );
const dirOption = () => new Option('-C, --dir <dir>', 'project folder').default('.');
const formatOption = () =>
  new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text');

/** `dossier advisories import|sync|status`. */
export function registerAdvisoriesCommand(cli: Command, setExit: (code: number) => void): void {
  const advisories = cli
    .command('advisories')
    .description(
      'The local advisory database (OSV advisories, NVD CVEs) used to match SOUP against known vulnerabilities',
    )
    .addHelpText(
      'after',
      `
The database is one SQLite file: --db, else $DOSSIER_ADVISORY_DB, else .dossier/advisories.sqlite
in the project folder. It keeps every advisory as its raw OSV record, withdrawn ones included (they
are listed, never matched). Re-importing is incremental: a record is replaced only by a newer
"modified" date.

Examples:
  dossier advisories sync --ecosystem PyPI --ecosystem crates.io    download from osv.dev and import
  dossier advisories import ~/Downloads/PyPI-all.zip               an all.zip you downloaded
  dossier advisories import advisory-database/vulns                 a folder of OSV .json/.yaml files
  dossier advisories import nvdcve-2.0-2025.json                    NVD CVE API 2.0 JSON (SOUP with a cpe)
  dossier advisories status                                         what is loaded and how old it is`,
    );

  advisories
    .command('import')
    .description(
      'Import OSV advisories (osv.dev all.zip archives, OSV .json/.yaml files) and NVD CVEs (CVE API 2.0 JSON)',
    )
    .argument('<sources...>', 'all.zip files, folders (searched recursively), OSV files or NVD JSON files')
    .addOption(dbOption())
    .addOption(dirOption())
    .addOption(formatOption())
    .addOption(limitOption('maxZipEntryBytes'))
    .addOption(limitOption('maxZipRatio'))
    .addOption(limitOption('maxZipTotalBytes'))
    .option('-q, --quiet', 'no progress on standard error')
    .addHelpText(
      'after',
      `
Each source is imported in one transaction: a damaged or truncated zip imports nothing, and neither
does a zip over a size limit (an entry's size or compression ratio, or the total: checked from the
zip's directory before anything is inflated, and again while inflating; the limits are the options
above, else limits: in the project's dossier.yaml). A record that breaks the OSV schema (no id or
modified, wrong types, an event with two keys, an unknown ecosystem) is skipped and named on
standard error; the rest is imported.

NVD CVE API 2.0 JSON is recognised by its content: a response page or a year file in the same
layout ({"format": "NVD_CVE", "vulnerabilities": [{"cve": …}, …]}, read as a stream, so a year
file of 40,000 CVEs needs no more memory than one CVE), or a folder of single-CVE files as the
fkie-cad/nvd-json-data-feeds mirror stores them. Each CVE is kept with an index of its CPE match
criteria; SOUP records with a cpe are matched against them. The retired NVD 1.1 feeds are refused.

Exit codes: 0 imported, 1 some records were skipped, 2 a source could not be read (or usage error).

Examples:
  dossier advisories import PyPI-all.zip Go-all.zip crates.io-all.zip
  dossier advisories import ../pypa-advisory-database/vulns --db /var/cache/dossier/advisories.sqlite
  dossier advisories import in-house-advisories/ --format json
  dossier advisories import nvd-json-data-feeds/CVE-2025 nvdcve-2.0-2024.json`,
    )
    .action(async (sources: string[], opts: AdvisoriesImportOptions) =>
      setExit(await (await import('./advisories.js')).runAdvisoriesImport(sources, opts)),
    );

  advisories
    .command('sync')
    .description("Download osv.dev's per-ecosystem all.zip archives and import them")
    .addOption(
      new Option(
        '-e, --ecosystem <name...>',
        'OSV ecosystems to fetch (default: those already loaded, else npm PyPI Go crates.io Maven NuGet RubyGems Packagist)',
      ),
    )
    .addOption(
      new Option(
        '--base-url <url>',
        `where <ecosystem>/all.zip is served (default: $DOSSIER_OSV_BASE_URL, else ${OSV_BASE_URL})`,
      ),
    )
    .option('--cache-dir <dir>', 'where downloads are kept (default: cache/ next to the database)')
    .addOption(dbOption())
    .addOption(dirOption())
    .addOption(formatOption())
    .addOption(limitOption('maxZipEntryBytes'))
    .addOption(limitOption('maxZipRatio'))
    .addOption(limitOption('maxZipTotalBytes'))
    .addOption(limitOption('maxDownloadBytes'))
    .option('-q, --quiet', 'no progress on standard error')
    .addHelpText(
      'after',
      `
Downloads resume where they stopped (HTTP Range) and are checked before import: the length, the MD5
when the server sends one (x-goog-hash or ETag), and the zip's directory. An archive larger than
--max-download-bytes is refused from its Content-Length, or stopped and removed as it passes the
limit; the zip limits apply to its import as to "advisories import". Progress goes to standard
error: a bar on a terminal, a line every few seconds otherwise. One failed ecosystem does not stop the
others.

Exit codes: 0 all synced, 1 some ecosystem failed (the others were imported), 2 usage error.

Examples:
  dossier advisories sync                                     refresh what is loaded
  dossier advisories sync -e PyPI -e Go -e crates.io
  dossier advisories sync --base-url https://mirror.example.com/osv   an internal mirror`,
    )
    .action(async (opts: AdvisoriesSyncOptions) =>
      setExit(await (await import('./advisories.js')).runAdvisoriesSync(opts)),
    );

  advisories
    .command('status')
    .description('What is loaded per ecosystem: advisories, withdrawn, snapshot date and age')
    .addOption(dbOption())
    .addOption(dirOption())
    .addOption(formatOption())
    .option(
      '--max-age-days <days>',
      'warn when a snapshot is older than this (default: advisories.maxAgeDays of the project, else 30)',
    )
    .option('--strict', 'exit 1 when there is a warning (stale or missing data)')
    .addHelpText(
      'after',
      `
The snapshot is the newest "modified" date in the imported data (when the records carry none, as in
golang/vulndb's files, the archive's entry dates; marked *). Warnings go to standard error and, with
--format json, into "warnings".

Examples:
  dossier advisories status
  dossier advisories status --format json --max-age-days 14 --strict     a CI gate`,
    )
    .action(async (opts: AdvisoriesStatusOptions) =>
      setExit(await (await import('./advisories.js')).runAdvisoriesStatus(opts)),
    );
}
