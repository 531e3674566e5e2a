/**
 * vcpkg manifest (`vcpkg.json`) reader.
 *
 * A manifest pins exact versions only through `overrides`; otherwise the `builtin-baseline`
 * (a vcpkg registry commit) decides, and `version>=` is only a lower bound. So a dependency
 * without an override is reported rather than guessed: IEC 62304 8.1.2 c needs the exact version.
 * `host: true` dependencies are build tools (vcpkg-cmake, code generators) → development.
 * Overrides for ports the manifest does not name directly are kept with unknown scope: they pin a
 * transitive port, or nothing.
 *
 * Identity: there is no registered purl type for vcpkg ports and no OSV ecosystem, so components
 * are `generic` with `pkg:generic/<port>@<version>?repository_url=https://github.com/microsoft/vcpkg`;
 * the qualifier keeps them apart from other generic packages of the same name. Port versions
 * (`#1`, `port-version`) are vcpkg packaging revisions of the same upstream version, so they are
 * left out of the version.
 */
import { purlFor } from '../purl.js';
import {
  arrayOf,
  isRecord,
  jsonStringLines,
  type PlainRecord,
  parseJson,
  readerForFileName,
  stringOf,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const VCPKG_REPOSITORY = 'https://github.com/microsoft/vcpkg';
const VERSION_FIELDS = ['version', 'version-semver', 'version-date', 'version-string'];

interface Dependency {
  readonly name: string;
  readonly host: boolean;
  readonly minimum?: string;
}

/** `1.3.1#2` → `1.3.1`. */
function upstreamVersion(version: string): string {
  return version.replace(/#\d+$/, '');
}

function dependenciesOf(manifest: PlainRecord, problems: ImportProblem[]): Dependency[] {
  const out: Dependency[] = [];
  for (const entry of arrayOf(manifest.dependencies)) {
    if (typeof entry === 'string' && entry.trim() !== '') out.push({ name: entry.trim(), host: false });
    else if (isRecord(entry) && stringOf(entry.name)) {
      const minimum = stringOf(entry['version>=']);
      out.push({
        name: stringOf(entry.name) ?? '',
        host: entry.host === true,
        ...(minimum ? { minimum } : {}),
      });
    } else
      problems.push({ severity: 'warning', message: 'vcpkg.json: a dependency without a name is skipped' });
  }
  return out;
}

function overridesOf(manifest: PlainRecord, problems: ImportProblem[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of arrayOf(manifest.overrides)) {
    const name = isRecord(entry) ? stringOf(entry.name) : undefined;
    const version = isRecord(entry)
      ? VERSION_FIELDS.map((f) => stringOf(entry[f])).find((v) => v)
      : undefined;
    if (name && version) out.set(name, upstreamVersion(version));
    else
      problems.push({
        severity: 'warning',
        message: 'vcpkg.json: an override without a name and version is skipped',
      });
  }
  return out;
}

function component(name: string, version: string, extra: Partial<ImportedComponent>): ImportedComponent {
  return {
    ecosystem: 'generic',
    name,
    version,
    purl: purlFor('generic', name, version, { repository_url: VCPKG_REPOSITORY }),
    scope: 'unknown',
    development: false,
    dependsOn: [],
    ...extra,
  };
}

function unpinned(dep: Dependency, baseline: string | undefined, line: number | undefined): ImportProblem {
  const bound = dep.minimum ? `only "version>=": "${dep.minimum}"` : 'no version';
  const decider = baseline ? `the builtin-baseline ${baseline}` : 'the registry baseline';
  return {
    severity: 'warning',
    message: `${dep.name} has ${bound} in vcpkg.json; ${decider} decides the version actually built, so it is not imported`,
    hint:
      'Pin it with an "overrides" entry, or import the SPDX file vcpkg writes for each installed port ' +
      '(installed/<triplet>/share/<port>/vcpkg.spdx.json), which names the exact version.',
    ...(line !== undefined ? { line } : {}),
  };
}

function readVcpkgJson(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed = parseJson(text, 'vcpkg.json');
  if (!parsed.ok) return finishImport('vcpkg.json', [], [parsed.problem], options);
  if (!isRecord(parsed.value)) {
    return finishImport(
      'vcpkg.json',
      [],
      [{ severity: 'error', message: 'vcpkg.json must be a JSON object' }],
      options,
    );
  }
  const manifest = parsed.value;
  const dependencies = dependenciesOf(manifest, problems);
  const overrides = overridesOf(manifest, problems);
  const lines = jsonStringLines(text, new Set([...dependencies.map((d) => d.name), ...overrides.keys()]));
  const baseline = stringOf(manifest['builtin-baseline']);
  const components: ImportedComponent[] = [];
  const named = new Set<string>();
  for (const dep of dependencies) {
    named.add(dep.name);
    const line = lines.get(dep.name);
    const version = overrides.get(dep.name);
    if (!version) {
      problems.push(unpinned(dep, baseline, line));
      continue;
    }
    components.push(
      component(dep.name, version, { scope: 'direct', development: dep.host, ...(line ? { line } : {}) }),
    );
  }
  for (const [name, version] of overrides) {
    const line = lines.get(name);
    if (!named.has(name)) components.push(component(name, version, line ? { line } : {}));
  }
  return finishImport('vcpkg.json', components, problems, options);
}

export const vcpkgJsonReader: DependencyReader = readerForFileName(
  'vcpkg-json',
  'vcpkg manifest vcpkg.json (exact versions from overrides)',
  'vcpkg.json',
  readVcpkgJson,
);
