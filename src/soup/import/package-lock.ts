/**
 * npm `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3.
 *
 * Both shapes are turned into one map of install locations (`node_modules/a/node_modules/b`), because
 * that is what node's module lookup walks: a package's dependency is the nearest `node_modules/<name>`
 * up its path, which is how `dependsOn` gets the version actually installed rather than a guess.
 */

import {
  entriesOf,
  guardRead,
  identify,
  isRecord,
  JsonKeyCursor,
  own,
  ownFlag,
  ownRecord,
  ownString,
  type PlainRecord,
  parseLockfile,
  sriHashes,
  stringEntriesOf,
  unsupportedVersion,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  DependencyScope,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const SUPPORTED = [1, 2, 3];
const NODE_MODULES = 'node_modules/';

/** One install location. `purl` is absent for links and for entries whose version is unknown. */
interface Installed {
  readonly path: string;
  readonly name: string;
  readonly version?: string;
  readonly purl?: string;
  readonly development: boolean;
  /** Dependency name → required (a missing one is worth a problem) or optional/peer (it is not). */
  readonly dependencies: ReadonlyMap<string, boolean>;
  readonly license?: string;
  readonly integrity?: string;
  readonly line?: number;
}

/** Where node looks next: the enclosing package, then the project root (`''`). */
function parentLocation(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = path.lastIndexOf(`/${NODE_MODULES}`);
  return cut >= 0 ? path.slice(0, cut) : '';
}

/** Node's lookup: `<here>/node_modules/<name>`, then the same from each enclosing location. */
function resolveInstalled(
  installed: ReadonlyMap<string, Installed>,
  from: string,
  name: string,
): Installed | undefined {
  for (let at: string | undefined = from; at !== undefined; at = parentLocation(at)) {
    const found = installed.get(at === '' ? `${NODE_MODULES}${name}` : `${at}/${NODE_MODULES}${name}`);
    if (found) return found;
  }
  return undefined;
}

/** The folder name a location installs: everything after the last `node_modules/` (keeps `@scope/`). */
function nameFromPath(path: string): string {
  const at = path.lastIndexOf(NODE_MODULES);
  return at >= 0 ? path.slice(at + NODE_MODULES.length) : path;
}

/** `name → required?` from a manifest-like entry's dependency maps (required wins over optional/peer). */
function dependencyMap(
  entry: PlainRecord,
  requiredKeys: string[],
  optionalKeys: string[],
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const key of optionalKeys) for (const [name] of stringEntriesOf(own(entry, key))) out.set(name, false);
  for (const key of requiredKeys) for (const [name] of stringEntriesOf(own(entry, key))) out.set(name, true);
  return out;
}

/**
 * Installed from somewhere other than the npm registry (git, a path): the purl version may match no
 * release. The note npm and yarn lockfiles share (yarn-lock.ts decides for itself when it applies).
 */
export function notFromNpmProblem(name: string, source: string, line: number | undefined): ImportProblem {
  return {
    severity: 'info',
    message: `${name} is installed from ${source.split('#')[0]}, not from the npm registry`,
    hint: 'Its version comes from its own package.json; check the SOUP record names the exact commit or file.',
    ...(line !== undefined ? { line } : {}),
  };
}

/** Packages fetched from git or a local path are not registry releases: the purl may not match advisories. */
function nonRegistryProblem(name: string, resolved: string | undefined, line: number | undefined) {
  if (!resolved || !/^(git\+|git:|github:|gitlab:|bitbucket:|file:)/.test(resolved)) return undefined;
  return notFromNpmProblem(name, resolved, line);
}

/**
 * A registry package installed at `path`. Both lockfile shapes (the v2/v3 `packages` map and the v1
 * `dependencies` tree) record it with the same fields; only v2/v3 carry a license.
 */
function registryPackage(
  path: string,
  identity: { name: string; version: string; license?: string },
  value: PlainRecord,
  dependencies: ReadonlyMap<string, boolean>,
  line: number | undefined,
  problems: ImportProblem[],
): Installed {
  const nonRegistry = nonRegistryProblem(identity.name, ownString(value, 'resolved'), line);
  if (nonRegistry) problems.push(nonRegistry);
  const id = identify('npm', identity.name, identity.version);
  return {
    path,
    name: id.name,
    version: id.version,
    purl: id.purl,
    // devOptional means "dev or optional": installed without dev too, so it is not development-only.
    development: ownFlag(value, 'dev'),
    dependencies,
    license: identity.license,
    integrity: ownString(value, 'integrity'),
    ...(line !== undefined ? { line } : {}),
  };
}

interface Tree {
  readonly installed: Map<string, Installed>;
  /** Locations whose declared dependencies are the project's own (root and workspace folders). */
  readonly projects: Map<string, Installed>;
  readonly problems: ImportProblem[];
}

/** lockfileVersion 2/3: the flat `packages` map keyed by install location. */
function readPackagesMap(packages: PlainRecord, cursor: JsonKeyCursor): Tree {
  const tree: Tree = { installed: new Map(), projects: new Map(), problems: [] };
  cursor.seek('packages');
  for (const [path, value] of Object.entries(packages)) {
    if (isRecord(value)) readPackageEntry(tree, path, value, cursor.lineOfKey(path));
  }
  return tree;
}

function readPackageEntry(tree: Tree, path: string, value: PlainRecord, line: number | undefined): void {
  const at = line !== undefined ? { line } : {};
  const isProject = !path.startsWith(NODE_MODULES) && !path.includes(`/${NODE_MODULES}`);
  // A project folder's devDependencies are direct dependencies too; an installed package's are not installed.
  const optionalKeys = [
    'optionalDependencies',
    'peerDependencies',
    ...(isProject ? ['devDependencies'] : []),
  ];
  const dependencies = dependencyMap(value, ['dependencies'], optionalKeys);
  const name = ownString(value, 'name') ?? nameFromPath(path);
  const version = ownString(value, 'version');
  if (isProject) {
    // The root ("") and workspace or linked folders are the project's own code, not SOUP.
    tree.projects.set(path, { path, name, development: false, dependencies, ...at });
    return;
  }
  if (ownFlag(value, 'link') || !version) {
    // Kept without a purl so that node's lookup still stops here.
    tree.installed.set(path, { path, name, development: false, dependencies: new Map() });
    const problem = ownFlag(value, 'link')
      ? linkProblem(path, ownString(value, 'resolved') ?? '')
      : unversionedProblem(path);
    if (problem) tree.problems.push({ ...problem, ...at });
    return;
  }
  const identity = { name, version, license: ownString(value, 'license') };
  tree.installed.set(path, registryPackage(path, identity, value, dependencies, line, tree.problems));
}

/** Workspace links are the project itself; a link to a folder outside it deserves a note. */
function linkProblem(path: string, target: string): ImportProblem | undefined {
  if (!/^(\.\.|\/|[A-Za-z]:)/.test(target)) return undefined;
  return {
    severity: 'info',
    message: `${nameFromPath(path)} is linked from ${target}, outside the project: it is not listed as SOUP`,
    hint: 'If that folder holds third-party code, record it as a SOUP item by hand.',
  };
}

function unversionedProblem(path: string): ImportProblem {
  return {
    severity: 'warning',
    message: `${path} has no version in the lockfile, so it cannot be identified`,
    hint: 'Regenerate the lockfile with `npm install` and read it again.',
  };
}

/** v1 `version` forms: `1.2.3`, alias `npm:real@1.2.3`, git URLs and `file:` paths (no exact version). */
function v1Identity(key: string, version: string): { name: string; version: string } | undefined {
  if (version.startsWith('npm:')) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf('@');
    return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : undefined;
  }
  if (/^[a-z+]+:/i.test(version) || version.includes('/')) return undefined;
  return { name: key, version };
}

/** lockfileVersion 1: the nested `dependencies` tree, walked depth-first in document order. */
function readDependencyTree(root: PlainRecord, cursor: JsonKeyCursor): Tree {
  const tree: Tree = { installed: new Map(), projects: new Map(), problems: [] };
  tree.projects.set('', {
    path: '',
    name: ownString(root, 'name') ?? '',
    development: false,
    dependencies: new Map(),
  });
  cursor.seek('dependencies');
  const stack: [string, string, unknown][] = entriesOf(own(root, 'dependencies'))
    .reverse()
    .map(([key, value]) => [NODE_MODULES + key, key, value]);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [path, key, value] = item;
    if (!isRecord(value)) continue;
    const line = cursor.lineOfKey(key);
    for (const [childKey, child] of entriesOf(own(value, 'dependencies')).reverse()) {
      stack.push([`${path}/${NODE_MODULES}${childKey}`, childKey, child]);
    }
    tree.installed.set(path, v1Installed(path, key, value, line, tree.problems));
  }
  return tree;
}

function v1Installed(
  path: string,
  key: string,
  value: PlainRecord,
  line: number | undefined,
  problems: ImportProblem[],
): Installed {
  const written = ownString(value, 'version') ?? '';
  const identity = v1Identity(key, written);
  const dependencies = dependencyMap(value, ['requires'], []);
  if (!identity) {
    const local = written.startsWith('file:');
    problems.push({
      severity: local ? 'info' : 'warning',
      message: local
        ? `${key} is a local package (${written}): it is not listed as SOUP`
        : `${key} has no exact version in the lockfile ("${written}"), so it cannot be identified`,
      hint: local
        ? 'If that folder holds third-party code, record it as a SOUP item by hand.'
        : 'lockfileVersion 1 does not record versions of git dependencies: upgrade with npm 7+ or record it by hand.',
      ...(line !== undefined ? { line } : {}),
    });
    return { path, name: key, development: false, dependencies };
  }
  return registryPackage(path, identity, value, dependencies, line, problems);
}

/** The purls of an installed package's dependencies, as node would resolve them from its location. */
function resolveDependencies(tree: Tree, from: Installed): string[] {
  const out: string[] = [];
  for (const [name, required] of from.dependencies) {
    const target = resolveInstalled(tree.installed, from.path, name);
    if (target?.purl) out.push(target.purl);
    else if (!target && required && from.purl) {
      tree.problems.push({
        severity: 'warning',
        message: `${from.name}@${from.version} requires ${name}, but no installed ${name} is visible from ${from.path}`,
        hint: 'The lockfile looks incomplete; regenerate it with `npm install`.',
        ...(from.line !== undefined ? { line: from.line } : {}),
      });
    }
  }
  return out;
}

/**
 * Direct dependencies: what the root and workspace folders declare, resolved from their own location.
 * lockfileVersion 1 does not record the root's declarations, so there a top-level package nothing else
 * requires is direct, nested ones are transitive, and the rest cannot be told (`unknown`).
 */
function directPaths(tree: Tree, version: number): { direct: Set<string>; known: boolean } {
  const direct = new Set<string>();
  if (version >= 2) {
    for (const project of tree.projects.values()) {
      for (const name of project.dependencies.keys()) {
        const target = resolveInstalled(tree.installed, project.path, name);
        if (target) direct.add(target.path);
      }
    }
    return { direct, known: true };
  }
  const required = new Set<string>();
  for (const entry of tree.installed.values()) {
    for (const name of entry.dependencies.keys()) {
      const target = resolveInstalled(tree.installed, entry.path, name);
      if (target) required.add(target.path);
    }
  }
  for (const path of tree.installed.keys())
    if (!path.includes(`/${NODE_MODULES}`) && !required.has(path)) direct.add(path);
  return { direct, known: false };
}

function scopeOf(path: string, roots: { direct: Set<string>; known: boolean }): DependencyScope {
  if (roots.direct.has(path)) return 'direct';
  if (roots.known || path.includes(`/${NODE_MODULES}`)) return 'transitive';
  return 'unknown';
}

function toComponents(tree: Tree, version: number): ImportedComponent[] {
  const roots = directPaths(tree, version);
  const components: ImportedComponent[] = [];
  for (const entry of tree.installed.values()) {
    if (!entry.purl || !entry.version) continue;
    const hashes = sriHashes(entry.integrity);
    components.push({
      ecosystem: 'npm',
      name: entry.name,
      version: entry.version,
      purl: entry.purl,
      scope: scopeOf(entry.path, roots),
      development: entry.development,
      dependsOn: resolveDependencies(tree, entry),
      ...(entry.license ? { license: entry.license } : {}),
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(entry.line !== undefined ? { line: entry.line } : {}),
    });
  }
  return components;
}

function unsupported(written: unknown, options: ReadOptions | undefined): ImportResult {
  return unsupportedVersion(
    'package-lock.json',
    written === undefined ? 'no lockfileVersion' : `lockfileVersion ${JSON.stringify(written)}`,
    SUPPORTED,
    'Regenerate the lockfile with npm 7 or later (lockfileVersion 3).',
    options,
  );
}

function readPackageLock(text: string, options: ReadOptions | undefined): ImportResult {
  const json = parseLockfile<unknown>(text, JSON.parse, options, {
    file: 'package-lock.json',
    hint: 'The file is not valid JSON: resolve merge conflicts or regenerate it with `npm install`.',
  });
  if (!json.ok) return json.result;
  const parsed = json.value;
  if (!isRecord(parsed)) return unsupported(undefined, options);
  const written = own(parsed, 'lockfileVersion');
  const version = typeof written === 'number' && SUPPORTED.includes(written) ? written : undefined;
  if (version === undefined) return unsupported(written, options);
  const format = `package-lock.json v${version}`;
  const packages = ownRecord(parsed, 'packages');
  const cursor = new JsonKeyCursor(text);
  const tree =
    version >= 2 && packages ? readPackagesMap(packages, cursor) : readDependencyTree(parsed, cursor);
  if (version >= 2 && !packages) {
    tree.problems.push({
      severity: 'warning',
      message: `lockfileVersion ${version} without a "packages" section: read the legacy "dependencies" tree instead`,
      hint: 'Regenerate the lockfile with `npm install` so that it has the "packages" section.',
    });
  }
  return finishImport(format, toComponents(tree, packages ? version : 1), tree.problems, options);
}

export const packageLockReader: DependencyReader = {
  id: 'package-lock',
  description: 'npm package-lock.json / npm-shrinkwrap.json (lockfileVersion 1, 2, 3)',
  detect: (baseName, head) =>
    baseName === 'package-lock.json' ||
    baseName === 'npm-shrinkwrap.json' ||
    (baseName.endsWith('.json') &&
      /^\s*\{[\s\S]*"lockfileVersion"\s*:/.test(head) &&
      /"requires"|"packages"/.test(head)),
  read: (text, options) => guardRead('package-lock.json', () => readPackageLock(text, options)),
};
