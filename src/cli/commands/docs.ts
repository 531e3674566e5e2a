/**
 * `dossier docs build [dir]`: the documents of the package (docs/documents.md) into a folder, the
 * same files as the build's documents stage, with a choice of documents and a release baseline.
 */
import path from 'node:path';
import { documentContext } from '../../docs/context.js';
import { packageFiles } from '../../docs/files.js';
import {
  DOCUMENT_FORMATS,
  type DocumentFormat,
  documentsFor,
  type PackageDocument,
} from '../../docs/registry.js';
import { readTemplates } from '../../docs/templates.js';
import type { Project } from '../../load/project.js';
import { limitsOf } from '../../model/limits.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { projectBuildDate } from '../../util/build-date.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { projectFileReader } from '../evidence-hasher.js';
import { EXIT, loadOrReport, UsageError } from '../io.js';
import { writeOut, writeProgress } from '../terminal.js';

export interface DocsBuildOptions {
  format: string;
  only?: string;
  release?: string;
  out: string;
}

/** A comma-separated option as a list of distinct values, each one of `allowed`. */
function listOption(
  value: string,
  allowed: readonly string[],
  option: string,
  /** False: only checks that the list names something (the allowed values are known later). */
  check = true,
): string[] {
  const values = [
    ...new Set(
      value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
  if (values.length === 0)
    throw new UsageError(
      `${option}: name at least one${allowed.length > 0 ? ` of ${allowed.join(', ')}` : ''}`,
    );
  if (!check) return values;
  for (const v of values) {
    if (!allowed.includes(v))
      throw new UsageError(`${option} ${v}: unknown; choose from ${allowed.join(', ')}`);
  }
  return values;
}

/**
 * The documentation package of a loaded project, as `docs build` writes it and `approve DOC-<KEY>`
 * signs it: with the project's advisory data (the SBOM summary says what was scanned) and its
 * evidence (the release gate of the Verification Report reads it as `release check` does).
 */
export function projectPackage(
  dir: string,
  project: Project,
  date: string,
  release: string | undefined,
): readonly PackageDocument[] {
  const { analysis } = analyzeWithAdvisories(dir, project, undefined, { required: false });
  const context = documentContext(analysis, {
    date,
    ...(release !== undefined ? { baseline: release } : {}),
    readEvidence: projectFileReader(dir, limitsOf(project.config.limits).maxReportBytes),
  });
  // Plan documents exist as the records say (one per plan record): keys are known once loaded.
  return documentsFor(context);
}

export async function runDocsBuild(dir: string, options: DocsBuildOptions): Promise<number> {
  const formats = listOption(options.format, DOCUMENT_FORMATS, '--format') as DocumentFormat[];
  if (options.only !== undefined) listOption(options.only, [], '--only', false);
  if (options.release !== undefined && !/^\S+$/.test(options.release))
    throw new UsageError(`--release ${JSON.stringify(options.release)}: a version has no spaces, e.g. 1.2.0`);
  const date = projectBuildDate(dir);
  // A document built from a project whose files did not all load would leave records out silently.
  const loaded = loadOrReport(dir, { refuse: 'write the documents' });
  const project = loaded.project;
  if (!project) return loaded.exitCode!;
  const outDir = path.resolve(options.out);
  const pkg = projectPackage(dir, project, date.timestamp.slice(0, 10), options.release);
  const keys = pkg.map((d) => d.key);
  const only = options.only === undefined ? keys : listOption(options.only, keys, '--only');
  const docs = pkg.filter((d) => only.includes(d.key)).map((d) => d.model());
  const templates = readTemplates(dir, project.config.documentTemplates);
  // A long PDF is typeset in parts for tens of seconds: say which, on an interactive terminal.
  const progressOf = (name: string) =>
    process.stderr.isTTY ? (message: string) => writeProgress(`${name}: ${message}`) : undefined;
  for (const file of packageFiles(docs, formats, templates)) {
    const target = path.join(outDir, file.path);
    const bytes = await file.render(progressOf(file.path));
    if (process.stderr.isTTY) writeProgress();
    writeFileAtomic(target, bytes);
    writeOut(`${path.relative(process.cwd(), target) || target}\n`);
  }
  for (const doc of docs)
    writeOut(
      `${doc.key}: ${doc.title}, revision ${doc.control.revision} (${doc.control.status}), ${doc.records.length} records\n`,
    );
  return EXIT.ok;
}
