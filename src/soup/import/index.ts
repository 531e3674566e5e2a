/**
 * Every dependency reader, and reading one file with the right one. Adding a format is a new
 * module and a line here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeReport } from '../../evidence/report-encoding.js';
import { cargoLockReader } from './cargo-lock.js';
import { conanLockReader } from './conan-lock.js';
import { cyclonedxJsonReader } from './cyclonedx-json.js';
import { cyclonedxXmlReader } from './cyclonedx-xml.js';
import { goModReader, goSumReader } from './go-mod.js';
import { gradleLockfileReader } from './gradle-lockfile.js';
import { mavenPomReader } from './maven-pom.js';
import { packageLockReader } from './package-lock.js';
import { pipfileLockReader } from './pipfile-lock.js';
import { pnpmLockReader } from './pnpm-lock.js';
import { poetryLockReader } from './poetry-lock.js';
import { requirementsTxtReader } from './requirements-txt.js';
import { spdxJsonReader } from './spdx-json.js';
import type { DependencyReader, ImportResult, ReadOptions } from './types.js';
import { uvLockReader } from './uv-lock.js';
import { vcpkgJsonReader } from './vcpkg-json.js';
import { applyManifest, yarnLockReader } from './yarn-lock.js';

export type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

/** Order matters only for detection: SBOMs (content-detected) before name-detected lockfiles. */
export const READERS: readonly DependencyReader[] = [
  cyclonedxJsonReader,
  cyclonedxXmlReader,
  spdxJsonReader,
  packageLockReader,
  yarnLockReader,
  pnpmLockReader,
  requirementsTxtReader,
  poetryLockReader,
  pipfileLockReader,
  uvLockReader,
  cargoLockReader,
  goModReader,
  goSumReader,
  mavenPomReader,
  gradleLockfileReader,
  conanLockReader,
  vcpkgJsonReader,
];

export function readerById(id: string): DependencyReader | undefined {
  return READERS.find((r) => r.id === id);
}

export function detectReader(file: string, head: string): DependencyReader | undefined {
  const base = path.basename(file);
  return READERS.find((r) => r.detect(base, head));
}

/** Lockfiles above this size are refused with a message rather than exhausting memory. */
export const MAX_DEPENDENCY_FILE_BYTES = 256 * 1024 * 1024;

export class DependencyFileError extends Error {}

/**
 * The text of a dependency file, decoded as an XML processor would (a byte order mark, the encoding
 * an XML declaration names, else UTF-8; see decodeReport) and never with a character replaced: a
 * supplier or package name in ISO-8859-1 used to reach the SOUP records as U+FFFD.
 */
function decodedText(file: string, bytes: Buffer): string {
  const decoded = decodeReport(bytes);
  if (!decoded.ok) {
    throw new DependencyFileError(
      `${file}: ${decoded.message.replace(/^it is /, '').replace(/\bnothing was imported\b/, 'nothing was read')}; save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
    );
  }
  return decoded.text.replace(/^\uFEFF/, '');
}

/**
 * Reads one lockfile, manifest or SBOM. The reader is detected from the name and first bytes
 * unless `format` names one. For `yarn.lock`, a `package.json` beside it says which dependencies
 * are direct and which are for development only.
 */
export function readDependencyFile(
  file: string,
  options: ReadOptions & { format?: string } = {},
): ImportResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new DependencyFileError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new DependencyFileError(`${file}: not a file`);
  if (stat.size > MAX_DEPENDENCY_FILE_BYTES) {
    throw new DependencyFileError(
      `${file}: ${(stat.size / 1024 / 1024).toFixed(0)} MB is more than the ${MAX_DEPENDENCY_FILE_BYTES / 1024 / 1024} MB a dependency file may have`,
    );
  }
  const text = decodedText(file, fs.readFileSync(file));
  const reader = options.format ? readerById(options.format) : detectReader(file, text.slice(0, 4096));
  if (!reader) {
    throw new DependencyFileError(
      options.format
        ? `unknown --format "${options.format}"; formats are: ${READERS.map((r) => r.id).join(', ')}`
        : `${file}: not a lockfile or SBOM Dossier recognises; name the format with --format (${READERS.map((r) => r.id).join(', ')})`,
    );
  }
  const result = reader.read(text, options);
  if (reader === yarnLockReader) {
    const manifest = path.join(path.dirname(file), 'package.json');
    if (fs.existsSync(manifest))
      return applyManifest(result, decodedText(manifest, fs.readFileSync(manifest)), options);
  }
  return result;
}
