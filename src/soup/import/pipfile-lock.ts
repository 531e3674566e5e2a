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
  identify,
  isRecord,
  JsonKeyCursor,
  own,
  ownRecord,
  ownString,
  type PlainRecord,
  parseProblem,
  prefixedHash,
} from './lockfile-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const SUPPORTED = [6];

function hashesOf(entry: PlainRecord): { alg: string; content: string }[] {
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const problem = parseProblem(
      'Pipfile.lock',
      text,
      error,
      'The file is not valid JSON: resolve merge conflicts or run `pipenv lock`.',
    );
    return finishImport('Pipfile.lock', [], [problem], options);
  }
  const lock = isRecord(parsed) ? parsed : undefined;
  const spec = own(ownRecord(lock, '_meta'), 'pipfile-spec');
  if (!lock || typeof spec !== 'number' || !SUPPORTED.includes(spec)) {
    const problem: ImportProblem = {
      severity: 'error',
      message: `Pipfile.lock has ${spec === undefined ? 'no _meta.pipfile-spec' : `pipfile-spec ${JSON.stringify(spec)}`}; supported versions are ${SUPPORTED.join(', ')}`,
      hint: 'Nothing was read, rather than guessing at an unknown layout. Rewrite it with a current Pipenv (`pipenv lock`).',
    };
    return finishImport('Pipfile.lock', [], [problem], options);
  }
  const problems: ImportProblem[] = [];
  const cursor = new JsonKeyCursor(text);
  const components = [
    ...readSection(lock, 'default', cursor, problems),
    ...readSection(lock, 'develop', cursor, problems),
  ];
  return finishImport(`Pipfile.lock (spec ${spec})`, components, problems, options);
}

export const pipfileLockReader: DependencyReader = {
  id: 'pipfile-lock',
  description: 'Pipenv Pipfile.lock (pipfile-spec 6)',
  detect: (baseName) => baseName === 'Pipfile.lock',
  read: (text, options) => guardRead('Pipfile.lock', () => readPipfileLock(text, options)),
};
