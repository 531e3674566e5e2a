/**
 * Pipenv `Pipfile.lock` (JSON, pipfile-spec 6): `default` holds runtime packages, `develop` the
 * development ones, each `{ "version": "==1.2.3", "hashes": ["sha256:…"] }`.
 *
 * Pipenv flattens the graph: it records neither which packages the Pipfile names nor what depends on
 * what, so scope is `unknown` and `dependsOn` empty. A package in both sections is runtime.
 */
import { normalizePypiName } from '../purl.js';
import {
  entriesOf,
  guardRead,
  type Hash,
  identify,
  isRecord,
  JsonKeyCursor,
  own,
  ownRecord,
  ownString,
  type PlainRecord,
  parseLockfile,
  prefixedHash,
  readerForFileName,
  unsupportedVersion,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const SUPPORTED = [6];

function hashesOf(entry: PlainRecord): Hash[] {
  const list = own(entry, 'hashes');
  if (!Array.isArray(list)) return [];
  return list.flatMap((h) => {
    const hash = typeof h === 'string' ? prefixedHash(h) : undefined;
    return hash ? [hash] : [];
  });
}

/** Entries without `==version`: git/path/editable requirements, which name no release. */
function unversionedProblem(name: string, entry: PlainRecord, line: number | undefined): ImportProblem {
  const at = line !== undefined ? { line } : {};
  const path = ownString(entry, 'path');
  if (path !== undefined) {
    return {
      severity: 'info',
      message: `${name} is a local package (${path}): it is not listed as SOUP`,
      hint: 'If it is the project itself, nothing to do; if it holds third-party code, record it by hand.',
      ...at,
    };
  }
  const git = ownString(entry, 'git');
  const where = git ? ` (from ${git}${ownString(entry, 'ref') ? ` at ${ownString(entry, 'ref')}` : ''})` : '';
  return {
    severity: 'warning',
    message: `${name}${where} has no exact version in Pipfile.lock, so it cannot be identified`,
    hint: 'Pin a released version in the Pipfile, or record the SOUP item by hand with the exact commit.',
    ...at,
  };
}

function readSection(
  lock: PlainRecord,
  section: 'default' | 'develop',
  cursor: JsonKeyCursor,
  problems: ImportProblem[],
): ImportedComponent[] {
  cursor.seek(section);
  const out: ImportedComponent[] = [];
  for (const [name, entry] of entriesOf(own(lock, section))) {
    if (!isRecord(entry)) continue;
    const line = cursor.lineOfKey(name);
    const version = /^===?\s*(\S+)$/.exec(ownString(entry, 'version') ?? '')?.[1];
    if (!version) {
      problems.push(unversionedProblem(name, entry, line));
      continue;
    }
    const hashes = hashesOf(entry);
    out.push({
      ...identify('PyPI', normalizePypiName(name), version),
      scope: 'unknown',
      development: section === 'develop',
      dependsOn: [],
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(line !== undefined ? { line } : {}),
    });
  }
  return out;
}

function readPipfileLock(text: string, options: ReadOptions | undefined): ImportResult {
  const parsed = parseLockfile<unknown>(text, JSON.parse, options, {
    file: 'Pipfile.lock',
    hint: 'The file is not valid JSON: resolve merge conflicts or run `pipenv lock`.',
  });
  if (!parsed.ok) return parsed.result;
  const lock = isRecord(parsed.value) ? parsed.value : undefined;
  const spec = own(ownRecord(lock, '_meta'), 'pipfile-spec');
  if (!lock || typeof spec !== 'number' || !SUPPORTED.includes(spec)) {
    return unsupportedVersion(
      'Pipfile.lock',
      spec === undefined ? 'no _meta.pipfile-spec' : `pipfile-spec ${JSON.stringify(spec)}`,
      SUPPORTED,
      'Rewrite it with a current Pipenv (`pipenv lock`).',
      options,
    );
  }
  const problems: ImportProblem[] = [];
  const cursor = new JsonKeyCursor(text);
  const components = [
    ...readSection(lock, 'default', cursor, problems),
    ...readSection(lock, 'develop', cursor, problems),
  ];
  return finishImport(`Pipfile.lock (spec ${spec})`, components, problems, options);
}

export const pipfileLockReader: DependencyReader = readerForFileName(
  'pipfile-lock',
  'Pipenv Pipfile.lock (pipfile-spec 6)',
  'Pipfile.lock',
  (text, options) => guardRead('Pipfile.lock', () => readPipfileLock(text, options)),
);
