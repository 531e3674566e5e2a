import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageLockReader } from '../src/soup/import/package-lock.js';
import { pipfileLockReader } from '../src/soup/import/pipfile-lock.js';
import { pnpmLockReader } from '../src/soup/import/pnpm-lock.js';
import { poetryLockReader } from '../src/soup/import/poetry-lock.js';
import { requirementsTxtReader } from '../src/soup/import/requirements-txt.js';
import type { DependencyReader, ImportedComponent, ImportResult } from '../src/soup/import/types.js';
import { uvLockReader } from '../src/soup/import/uv-lock.js';
import { applyManifest, yarnLockReader } from '../src/soup/import/yarn-lock.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/lockfiles');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** 1-based line of the first occurrence of `needle` (the fixtures are the oracle for line numbers). */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`fixture has no ${needle}`);
  return text.slice(0, at).split('\n').length;
}

function byPurl(result: ImportResult, purl: string): ImportedComponent {
  const found = result.components.find((c) => c.purl === purl);
  if (!found) throw new Error(`${purl} not in ${result.components.map((c) => c.purl).join(', ')}`);
  return found;
}

const purls = (result: ImportResult) => result.components.map((c) => c.purl);
const summary = (result: ImportResult) =>
  Object.fromEntries(result.components.map((c) => [c.purl, `${c.scope}${c.development ? ' dev' : ''}`]));

describe('package-lock.json', () => {
  const v3Text = fixture('package-lock-v3.json');
  const v3 = packageLockReader.read(v3Text, { includeDev: true });

  it('v3: scoped names, aliases by real name, workspace links skipped, scopes from root and workspaces', () => {
    expect(v3.format).toBe('package-lock.json v3');
    expect(v3.problems).toEqual([]);
    expect(summary(v3)).toEqual({
      'pkg:npm/%40emotion/hash@0.9.1': 'direct',
      'pkg:npm/debug@4.3.4': 'direct',
      'pkg:npm/fsevents@2.3.3': 'direct',
      'pkg:npm/is-buffer@1.1.6': 'transitive dev',
      'pkg:npm/is-even@1.0.0': 'direct dev',
      'pkg:npm/is-number@3.0.0': 'transitive dev',
      'pkg:npm/is-odd@0.1.2': 'transitive dev',
      'pkg:npm/kind-of@3.2.2': 'transitive dev',
      // `my-lodash` is an alias: the component is the package actually installed.
      'pkg:npm/lodash@4.17.21': 'direct',
      'pkg:npm/ms@2.1.2': 'transitive',
      // Named by the pump-chart workspace, so direct although the root does not name it.
      'pkg:npm/ms@2.1.3': 'direct',
      'pkg:npm/pump-format@0.1.0': 'direct',
    });
    expect(purls(v3).some((p) => p.includes('pump-chart') || p.includes('pump-ui'))).toBe(false);
  });

  it('v3: dependsOn is the version node would load (nested node_modules wins over the hoisted one)', () => {
    expect(byPurl(v3, 'pkg:npm/debug@4.3.4').dependsOn).toEqual(['pkg:npm/ms@2.1.2']);
    expect(byPurl(v3, 'pkg:npm/kind-of@3.2.2').dependsOn).toEqual(['pkg:npm/is-buffer@1.1.6']);
  });

  it('v3: line, license, and integrity as a hex SHA-512', () => {
    const debug = byPurl(v3, 'pkg:npm/debug@4.3.4');
    expect(debug.line).toBe(lineOf(v3Text, '"node_modules/debug": {'));
    expect(byPurl(v3, 'pkg:npm/ms@2.1.2').line).toBe(
      lineOf(v3Text, '"node_modules/debug/node_modules/ms": {'),
    );
    expect(debug.license).toBe('MIT');
    expect(byPurl(v3, 'pkg:npm/pump-format@0.1.0').license).toBe('Apache-2.0');
    const integrity = /"integrity": "sha512-([^"]+)"/.exec(
      v3Text.slice(v3Text.indexOf('"node_modules/debug"')),
    )?.[1];
    expect(debug.hashes).toEqual([
      { alg: 'SHA-512', content: Buffer.from(integrity ?? '', 'base64').toString('hex') },
    ]);
    expect(debug.hashes?.[0]?.content).toMatch(/^[0-9a-f]{128}$/);
  });

  it('drops development-only packages unless asked', () => {
    const runtime = packageLockReader.read(v3Text);
    expect(runtime.components.every((c) => !c.development)).toBe(true);
    expect(purls(runtime)).not.toContain('pkg:npm/is-even@1.0.0');
    expect(purls(runtime)).toContain('pkg:npm/fsevents@2.3.3');
  });

  it('v2 reads the packages map (not the legacy tree) and marks dev', () => {
    const text = fixture('package-lock-v2.json');
    const v2 = packageLockReader.read(text, { includeDev: true });
    expect(v2.format).toBe('package-lock.json v2');
    expect(summary(v2)).toEqual({
      'pkg:npm/accepts@1.3.8': 'transitive',
      'pkg:npm/express@4.18.2': 'direct',
      'pkg:npm/mime-db@1.52.0': 'transitive',
      'pkg:npm/mime-types@2.1.35': 'transitive',
      'pkg:npm/negotiator@0.6.3': 'transitive',
      'pkg:npm/rimraf-lite@1.0.0': 'direct dev',
    });
    expect(byPurl(v2, 'pkg:npm/express@4.18.2').line).toBe(lineOf(text, '"node_modules/express": {'));
  });

  it('v1: nested tree, alias, dev, SHA-1 integrity, git dependency reported', () => {
    const text = fixture('package-lock-v1.json');
    const v1 = packageLockReader.read(text, { includeDev: true });
    expect(v1.format).toBe('package-lock.json v1');
    expect(summary(v1)).toEqual({
      'pkg:npm/chalk@2.4.2': 'direct',
      'pkg:npm/has-flag@3.0.0': 'transitive',
      'pkg:npm/has-flag@4.0.0': 'direct',
      'pkg:npm/lodash@4.17.21': 'direct',
      'pkg:npm/minimist@1.2.8': 'direct dev',
      // Top level but required by chalk: v1 does not say whether the project names it too.
      'pkg:npm/supports-color@5.5.0': 'unknown',
    });
    expect(byPurl(v1, 'pkg:npm/supports-color@5.5.0').dependsOn).toEqual(['pkg:npm/has-flag@3.0.0']);
    // The nested has-flag, not the top-level one of the same name.
    const nested = text.indexOf('"has-flag": {', text.indexOf('"supports-color": {'));
    expect(byPurl(v1, 'pkg:npm/has-flag@3.0.0').line).toBe(text.slice(0, nested).split('\n').length);
    expect(byPurl(v1, 'pkg:npm/has-flag@4.0.0').line).toBe(lineOf(text, '"has-flag": {'));
    expect(byPurl(v1, 'pkg:npm/minimist@1.2.8').hashes?.[0]?.alg).toBe('SHA-1');
    expect(v1.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: lineOf(text, '"pump-proto": {'),
        message: expect.stringContaining('pump-proto'),
      }),
    ]);
  });

  it('devOptional is not development-only; links outside the project and missing versions are reported', () => {
    const text = JSON.stringify(
      {
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { a: '1', lib: 'file:../lib' }, devDependencies: { b: '1' } },
          'node_modules/a': { version: '1.0.0', optional: true, dependencies: { shared: '1' } },
          'node_modules/b': { version: '1.0.0', dev: true, dependencies: { shared: '1' } },
          'node_modules/shared': { version: '1.0.0', devOptional: true },
          'node_modules/lib': { resolved: '../lib', link: true },
          '../lib': { name: 'lib', version: '0.0.1' },
          'node_modules/broken': { resolved: 'https://example.com/broken.tgz' },
          'node_modules/npm/node_modules/abbrev': { version: '2.0.0', inBundle: true },
        },
      },
      null,
      2,
    );
    const result = packageLockReader.read(text);
    expect(purls(result)).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/abbrev@2.0.0', 'pkg:npm/shared@1.0.0']);
    expect(result.problems.map((p) => [p.severity, p.line])).toEqual([
      ['info', lineOf(text, '"node_modules/lib"')],
      ['warning', lineOf(text, '"node_modules/broken"')],
    ]);
  });

  it('an unknown lockfileVersion is an error naming the supported versions, and nothing is read', () => {
    const result = packageLockReader.read(
      '{ "lockfileVersion": 4, "packages": { "node_modules/a": { "version": "1.0.0" } } }',
    );
    expect(result.components).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/lockfileVersion 4.*1, 2, 3/),
      }),
    ]);
    expect(packageLockReader.read('{ "name": "x" }').problems[0]?.message).toMatch(/no lockfileVersion/);
  });

  it('malformed JSON is an error with the line of the fault', () => {
    const result = packageLockReader.read('{\n  "lockfileVersion": 3,\n  "packages": {,\n  }\n}\n');
    expect(result.components).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 3, hint: expect.any(String) }),
    ]);
  });

  it('detects package-lock.json and npm-shrinkwrap.json', () => {
    expect(packageLockReader.detect('package-lock.json', '')).toBe(true);
    expect(packageLockReader.detect('npm-shrinkwrap.json', '')).toBe(true);
    expect(packageLockReader.detect('package.json', '{ "name": "x" }')).toBe(false);
  });
});

describe('yarn.lock', () => {
  const classicText = fixture('yarn-classic.lock');
  const manifest = fixture('yarn-classic.package.json');

  it('classic: every package once, alias by real name, dependsOn by exact descriptor, scope unknown', () => {
    const result = yarnLockReader.read(classicText, { includeDev: true });
    expect(result.format).toBe('yarn.lock (classic v1)');
    expect(result.problems).toEqual([]);
    expect(purls(result)).toEqual([
      'pkg:npm/%40emotion/hash@0.9.1',
      'pkg:npm/debug@4.3.4',
      'pkg:npm/is-buffer@1.1.6',
      'pkg:npm/is-even@1.0.0',
      'pkg:npm/is-number@3.0.0',
      'pkg:npm/is-odd@0.1.2',
      'pkg:npm/kind-of@3.2.2',
      'pkg:npm/lodash@4.17.21',
      'pkg:npm/ms@2.1.2',
      'pkg:npm/ms@2.1.3',
    ]);
    expect(result.components.every((c) => c.scope === 'unknown' && !c.development)).toBe(true);
    expect(byPurl(result, 'pkg:npm/debug@4.3.4').dependsOn).toEqual(['pkg:npm/ms@2.1.2']);
    expect(byPurl(result, 'pkg:npm/ms@2.1.3').line).toBe(lineOf(classicText, 'ms@^2.1.1, ms@^2.1.3:'));
    expect(byPurl(result, 'pkg:npm/lodash@4.17.21').line).toBe(
      lineOf(classicText, '"my-lodash@npm:lodash@^4.17.21":'),
    );
    // No integrity line: the SHA-1 in the resolved URL's fragment is the hash.
    expect(byPurl(result, 'pkg:npm/is-buffer@1.1.6').hashes?.[0]?.alg).toBe('SHA-1');
  });

  it('applyManifest marks direct and development-only dependencies from package.json', () => {
    const result = applyManifest(yarnLockReader.read(classicText), manifest, { includeDev: true });
    expect(summary(result)).toEqual({
      'pkg:npm/%40emotion/hash@0.9.1': 'direct',
      'pkg:npm/debug@4.3.4': 'direct',
      'pkg:npm/is-buffer@1.1.6': 'transitive dev',
      'pkg:npm/is-even@1.0.0': 'direct dev',
      'pkg:npm/is-number@3.0.0': 'transitive dev',
      'pkg:npm/is-odd@0.1.2': 'transitive dev',
      'pkg:npm/kind-of@3.2.2': 'transitive dev',
      'pkg:npm/lodash@4.17.21': 'direct',
      'pkg:npm/ms@2.1.2': 'transitive',
      // Two ms versions are locked; ^2.1.3 is the one nothing else depends on.
      'pkg:npm/ms@2.1.3': 'direct',
    });
    const runtime = applyManifest(yarnLockReader.read(classicText), manifest);
    expect(runtime.components.some((c) => c.development)).toBe(false);
    expect(runtime.components).toHaveLength(5);
  });

  it('applyManifest keeps every dependency when workspaces hide part of the picture', () => {
    const withWorkspaces = JSON.stringify({ ...JSON.parse(manifest), workspaces: ['packages/*'] });
    const result = applyManifest(yarnLockReader.read(classicText), withWorkspaces);
    expect(result.components).toHaveLength(10);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'info', message: expect.stringContaining('workspaces') }),
    ]);
    const broken = applyManifest(yarnLockReader.read(classicText), '{ "dependencies": ');
    expect(broken.components).toHaveLength(10);
    expect(broken.problems).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });

  it('berry: workspaces give direct deps and are not SOUP; patches unwrap to the package and are noted', () => {
    const text = fixture('yarn-berry.lock');
    const result = yarnLockReader.read(text, { includeDev: true });
    expect(result.format).toBe('yarn.lock (berry v8)');
    expect(summary(result)).toEqual({
      'pkg:npm/%40emotion/hash@0.9.1': 'direct',
      'pkg:npm/debug@4.3.4': 'direct',
      'pkg:npm/is-even@1.0.0': 'direct',
      'pkg:npm/is-number@3.0.0': 'transitive',
      'pkg:npm/is-odd@0.1.2': 'transitive',
      'pkg:npm/lodash@4.17.21': 'direct',
      'pkg:npm/ms@2.1.2': 'transitive',
      'pkg:npm/ms@2.1.3': 'direct',
      'pkg:npm/resolve@1.22.8': 'transitive',
    });
    expect(byPurl(result, 'pkg:npm/debug@4.3.4').dependsOn).toEqual(['pkg:npm/ms@2.1.2']);
    expect(byPurl(result, 'pkg:npm/ms@2.1.3').line).toBe(
      lineOf(text, '"legacy-ms@npm:ms@^2.1.1, ms@npm:^2.1.3":'),
    );
    // Only the project's own patch is worth a note, not yarn's built-in compat patch of resolve.
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'info',
        line: lineOf(text, '"lodash@patch:'),
        message: expect.stringContaining('patched'),
      }),
    ]);
    const withManifest = applyManifest(
      result,
      '{ "dependencies": { "debug": "^4.3.4" }, "devDependencies": { "is-even": "^1.0.0" } }',
    );
    expect(purls(withManifest)).not.toContain('pkg:npm/is-odd@0.1.2');
    expect(purls(withManifest)).toContain('pkg:npm/ms@2.1.2');
  });

  it('an unknown berry lockfile version is an error; malformed files report the line', () => {
    const unknown = yarnLockReader.read('__metadata:\n  version: 99\n  cacheKey: 10c0\n');
    expect(unknown.problems).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('99') }),
    ]);
    // The parser itself counts a blank line as none; the reported line is the real one.
    const classic = yarnLockReader.read(
      '# yarn lockfile v1\n\n\n"a@^1":\n  version "1.0.0"\n\n"b@^1":\n  oops [\n',
    );
    expect(classic.problems).toEqual([expect.objectContaining({ severity: 'error', line: 8 })]);
    // Inputs on which the parser would never return are refused with their line.
    const unterminated = yarnLockReader.read('# yarn lockfile v1\n\na@^1:\n  version "1.0.0\n');
    expect(unterminated.problems).toEqual([expect.objectContaining({ severity: 'error', line: 4 })]);
    expect(yarnLockReader.read('a@^1:\n  version "1"\n# end').problems[0]).toMatchObject({
      severity: 'error',
      line: 3,
    });
    const conflict = yarnLockReader.read(
      'a@^1:\n<<<<<<< HEAD\n  version "1.0.0"\n=======\n  version "1.0.1"\n>>>>>>> main\n',
    );
    expect(conflict.components).toEqual([]);
    expect(conflict.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 2,
        message: expect.stringContaining('merge conflict'),
      }),
    ]);
    const berry = yarnLockReader.read('__metadata:\n  version: 8\n\n"a@npm:^1":\n  version: [1\n');
    expect(berry.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: expect.any(Number) }),
    ]);
  });
});

describe('pnpm-lock.yaml', () => {
  const expected = {
    'pkg:npm/%40emotion/hash@0.9.1': 'direct',
    'pkg:npm/debug@4.3.4': 'direct',
    'pkg:npm/is-even@1.0.0': 'direct dev',
    'pkg:npm/is-number@3.0.0': 'transitive dev',
    'pkg:npm/is-odd@0.1.2': 'transitive dev',
    'pkg:npm/js-tokens@4.0.0': 'transitive',
    'pkg:npm/lodash@4.17.21': 'direct',
    'pkg:npm/loose-envify@1.4.0': 'transitive',
    'pkg:npm/ms@2.1.2': 'transitive',
    'pkg:npm/react-dom@18.2.0': 'direct',
    'pkg:npm/react@18.2.0': 'direct',
    'pkg:npm/scheduler@0.23.0': 'transitive',
  };

  it.each([
    ['pnpm-lock-v5.yaml', 'pnpm-lock.yaml v5.4', '/react-dom/18.2.0_react@18.2.0:'],
    ['pnpm-lock-v6.yaml', 'pnpm-lock.yaml v6.0', '/react-dom@18.2.0(react@18.2.0):'],
  ])('%s: peer suffixes stripped, alias resolved, dev flags kept', (file, format, reactDomKey) => {
    const text = fixture(file);
    const result = pnpmLockReader.read(text, { includeDev: true });
    expect(result.format).toBe(format);
    expect(result.problems).toEqual([]);
    expect(summary(result)).toEqual(expected);
    const reactDom = byPurl(result, 'pkg:npm/react-dom@18.2.0');
    expect(reactDom.dependsOn).toEqual([
      'pkg:npm/loose-envify@1.4.0',
      'pkg:npm/react@18.2.0',
      'pkg:npm/scheduler@0.23.0',
    ]);
    expect(reactDom.line).toBe(lineOf(text, reactDomKey));
    expect(reactDom.hashes?.[0]?.alg).toBe('SHA-512');
  });

  it('v9: importers of a workspace, snapshots, dev recomputed (runtime reach wins), patches noted', () => {
    const text = fixture('pnpm-lock-v9.yaml');
    const result = pnpmLockReader.read(text, { includeDev: true });
    expect(result.format).toBe('pnpm-lock.yaml v9.0');
    expect(summary(result)).toEqual({
      ...expected,
      // A devDependency of packages/chart, but react needs it at run time.
      'pkg:npm/js-tokens@4.0.0': 'direct',
      'pkg:npm/ms@2.1.3': 'direct',
    });
    // The line of the entry in `packages` (the snapshot key carries the patch hash).
    const packagesAt = lineOf(text, '\npackages:') + 1;
    const packagesPart = text.slice(text.indexOf('\npackages:') + 1);
    expect(byPurl(result, 'pkg:npm/lodash@4.17.21').line).toBe(
      packagesAt + lineOf(packagesPart, '  lodash@4.17.21:') - 1,
    );
    expect(byPurl(result, 'pkg:npm/%40emotion/hash@0.9.1').line).toBe(
      lineOf(text, "  '@emotion/hash@0.9.1':"),
    );
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'info',
        line: lineOf(text, '  lodash@4.17.21:'),
        message: expect.stringContaining('patched'),
      }),
    ]);
    expect(purls(pnpmLockReader.read(text))).not.toContain('pkg:npm/is-odd@0.1.2');
  });

  it('an unknown lockfileVersion is an error; malformed YAML reports the line', () => {
    const unknown = pnpmLockReader.read("lockfileVersion: '7.0'\n\npackages: {}\n");
    expect(unknown.components).toEqual([]);
    expect(unknown.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/7\.0.*5\.x, 6\.x, 9\.0/),
      }),
    ]);
    const malformed = pnpmLockReader.read(
      "lockfileVersion: '9.0'\n\npackages:\n  a@1.0.0:\n    resolution: {integrity: [\n",
    );
    expect(malformed.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: expect.any(Number) }),
    ]);
    expect(malformed.problems[0]?.line).toBeGreaterThanOrEqual(5);
  });
});

describe('requirements.txt', () => {
  const text = fixture('requirements-pip-compile.txt');
  const result = requirementsTxtReader.read(text);

  it('pip-compile output: pins, hashes from continuation lines, markers kept out of the version', () => {
    expect(result.format).toBe('requirements.txt');
    expect(purls(result)).toHaveLength(13);
    const colorama = byPurl(result, 'pkg:pypi/colorama@0.4.6');
    expect(colorama.version).toBe('0.4.6');
    expect(colorama.line).toBe(lineOf(text, 'colorama==0.4.6'));
    expect(colorama.hashes).toHaveLength(2);
    expect(colorama.hashes?.[0]).toEqual({
      alg: 'SHA-256',
      content: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'info',
        line: lineOf(text, 'colorama=='),
        message: expect.stringContaining('platform_system'),
      }),
    ]);
    // Extras are not part of the name.
    expect(byPurl(result, 'pkg:pypi/requests@2.31.0').name).toBe('requests');
  });

  it('`# via` annotations decide direct vs transitive and give dependsOn', () => {
    expect(summary(result)).toMatchObject({
      'pkg:pypi/flask@3.0.2': 'direct',
      'pkg:pypi/pyserial@3.5': 'direct',
      'pkg:pypi/requests@2.31.0': 'direct',
      'pkg:pypi/werkzeug@3.0.1': 'direct',
      'pkg:pypi/certifi@2024.2.2': 'transitive',
      'pkg:pypi/markupsafe@2.1.5': 'transitive',
    });
    expect(byPurl(result, 'pkg:pypi/requests@2.31.0').dependsOn).toEqual([
      'pkg:pypi/certifi@2024.2.2',
      'pkg:pypi/charset-normalizer@3.3.2',
      'pkg:pypi/idna@3.6',
      'pkg:pypi/urllib3@2.2.1',
    ]);
    expect(byPurl(result, 'pkg:pypi/jinja2@3.1.3').dependsOn).toEqual(['pkg:pypi/markupsafe@2.1.5']);
  });

  it('hand-written files: unpinned, includes, editable, URL and VCS requirements are reported by line', () => {
    const hand = [
      '# hand written',
      'Django_Rest.Framework === 3.14.0',
      'requests>=2.31',
      'numpy',
      '-r base.txt',
      '-c constraints.txt',
      '-e git+https://github.com/acme/pump-sdk.git@v1.2#egg=pump-sdk',
      'pump-proto @ https://example.com/pump_proto-1.0-py3-none-any.whl',
      'git+https://github.com/acme/alarms.git@3f2a1b#egg=alarms',
      'attrs==23.2.0  # via -r requirements.in',
      'six==1.16.0  # via python-dateutil',
      'python-dateutil==2.9.0',
    ].join('\n');
    const read = requirementsTxtReader.read(hand);
    expect(summary(read)).toEqual({
      'pkg:pypi/attrs@23.2.0': 'direct',
      'pkg:pypi/django-rest-framework@3.14.0': 'direct',
      'pkg:pypi/python-dateutil@2.9.0': 'direct',
      'pkg:pypi/six@1.16.0': 'transitive',
    });
    expect(byPurl(read, 'pkg:pypi/python-dateutil@2.9.0').dependsOn).toEqual(['pkg:pypi/six@1.16.0']);
    expect(read.problems.map((p) => [p.severity, p.line])).toEqual([
      ['warning', 3],
      ['warning', 4],
      ['info', 5],
      ['info', 6],
      ['warning', 7],
      ['warning', 8],
      ['warning', 9],
    ]);
    const unpinned = read.problems[0];
    expect(unpinned?.message).toMatch(/requests>=2\.31.*8\.1\.2 c/);
    expect(unpinned?.hint).toMatch(/pip-compile/);
    expect(unpinned?.hint).toMatch(/pip freeze/);
    expect(read.problems[2]?.message).toMatch(/not followed/);
  });

  it('detects requirements files by name', () => {
    expect(requirementsTxtReader.detect('requirements.txt', '')).toBe(true);
    expect(requirementsTxtReader.detect('requirements-dev.txt', '')).toBe(true);
    expect(requirementsTxtReader.detect('notes.txt', '')).toBe(false);
  });
});

describe('poetry.lock', () => {
  it('1.x: category marks dev, hashes from [metadata.files] (sdist preferred), unrequired packages are direct', () => {
    const text = fixture('poetry-1.lock');
    const result = poetryLockReader.read(text, { includeDev: true });
    expect(result.format).toBe('poetry.lock v1.1');
    expect(result.problems).toEqual([]);
    expect(summary(result)).toEqual({
      'pkg:pypi/atomicwrites@1.4.1': 'unknown dev',
      'pkg:pypi/certifi@2022.12.7': 'unknown',
      'pkg:pypi/colorama@0.4.6': 'unknown dev',
      'pkg:pypi/idna@3.4': 'unknown',
      'pkg:pypi/iniconfig@2.0.0': 'unknown dev',
      'pkg:pypi/packaging@23.0': 'unknown',
      'pkg:pypi/pluggy@1.0.0': 'unknown dev',
      'pkg:pypi/pytest@7.2.1': 'direct dev',
      'pkg:pypi/requests@2.28.2': 'direct',
      'pkg:pypi/urllib3@1.26.14': 'unknown',
    });
    const requests = byPurl(result, 'pkg:pypi/requests@2.28.2');
    expect(requests.dependsOn).toEqual([
      'pkg:pypi/certifi@2022.12.7',
      'pkg:pypi/idna@3.4',
      'pkg:pypi/urllib3@1.26.14',
    ]);
    expect(requests.line).toBe(lineOf(text, '[[package]]\nname = "requests"'));
    const sdistHash = /requests-2\.28\.2\.tar\.gz", hash = "sha256:([0-9a-f]+)"/.exec(text)?.[1];
    expect(requests.hashes).toEqual([{ alg: 'SHA-256', content: sdistHash }]);
    expect(purls(poetryLockReader.read(text))).not.toContain('pkg:pypi/pytest@7.2.1');
  });

  it('2.x: groups without main are development; a package in main and dev is runtime', () => {
    const text = fixture('poetry-2.lock');
    const result = poetryLockReader.read(text);
    expect(result.format).toBe('poetry.lock v2.1');
    expect(purls(result)).toEqual([
      'pkg:pypi/certifi@2025.1.31',
      'pkg:pypi/charset-normalizer@3.4.1',
      'pkg:pypi/idna@3.10',
      'pkg:pypi/packaging@24.2',
      'pkg:pypi/pyserial@3.5',
      'pkg:pypi/requests@2.32.3',
      'pkg:pypi/urllib3@2.3.0',
    ]);
    expect(byPurl(result, 'pkg:pypi/pyserial@3.5')).toMatchObject({
      scope: 'direct',
      line: lineOf(text, '[[package]]\nname = "pyserial"'),
    });
  });

  it('unknown lock-version is an error; malformed TOML reports the line', () => {
    const unknown = poetryLockReader.read(
      '[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "3.0"\n',
    );
    expect(unknown.components).toEqual([]);
    expect(unknown.problems).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/3\.0.*2\.1/) }),
    ]);
    const malformed = poetryLockReader.read('[[package]]\nname = "a"\nversion = \n');
    expect(malformed.problems).toEqual([expect.objectContaining({ severity: 'error', line: 3 })]);
  });
});

describe('Pipfile.lock', () => {
  it('default is runtime, develop is dev, a package in both is runtime; editable paths are noted', () => {
    const text = fixture('Pipfile.lock');
    const result = pipfileLockReader.read(text, { includeDev: true });
    expect(result.format).toBe('Pipfile.lock (spec 6)');
    expect(summary(result)).toEqual({
      'pkg:pypi/certifi@2024.2.2': 'unknown',
      'pkg:pypi/idna@3.6': 'unknown',
      'pkg:pypi/iniconfig@2.0.0': 'unknown dev',
      'pkg:pypi/packaging@23.2': 'unknown dev',
      'pkg:pypi/pyserial@3.5': 'unknown',
      'pkg:pypi/pytest@8.0.2': 'unknown dev',
      'pkg:pypi/requests@2.31.0': 'unknown',
      'pkg:pypi/urllib3@2.2.1': 'unknown',
    });
    const requests = byPurl(result, 'pkg:pypi/requests@2.31.0');
    expect(requests.line).toBe(lineOf(text, '"requests": {'));
    expect(requests.hashes).toHaveLength(2);
    // In develop too, but the entry found first (default) gives the line.
    expect(byPurl(result, 'pkg:pypi/pytest@8.0.2').line).toBe(lineOf(text, '"pytest": {'));
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'info', line: lineOf(text, '"pump-protocol": {') }),
    ]);
  });

  it('an unknown pipfile-spec is an error; malformed JSON reports the line', () => {
    const unknown = pipfileLockReader.read(
      '{ "_meta": { "pipfile-spec": 7 }, "default": { "a": { "version": "==1.0" } } }',
    );
    expect(unknown.components).toEqual([]);
    expect(unknown.problems[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('7') });
    const malformed = pipfileLockReader.read(
      '{\n  "_meta": {},\n  "default": {\n    "a": { "version": "==1.0", }\n  }\n}',
    );
    expect(malformed.problems).toEqual([expect.objectContaining({ severity: 'error', line: 4 })]);
  });
});

describe('uv.lock', () => {
  const text = fixture('uv.lock');

  it('the editable project is not SOUP; its dependencies are direct, dev groups are development, extras are runtime', () => {
    const result = uvLockReader.read(text, { includeDev: true });
    expect(result.format).toBe('uv.lock v1');
    expect(result.problems).toEqual([]);
    expect(summary(result)).toEqual({
      'pkg:pypi/certifi@2025.1.31': 'transitive',
      'pkg:pypi/colorama@0.4.6': 'transitive dev',
      'pkg:pypi/idna@3.10': 'transitive',
      'pkg:pypi/iniconfig@2.0.0': 'transitive dev',
      // Needed by pytest, but also by the project itself.
      'pkg:pypi/packaging@24.2': 'direct',
      'pkg:pypi/pluggy@1.5.0': 'transitive dev',
      'pkg:pypi/pyserial@3.5': 'direct',
      'pkg:pypi/pytest@8.3.4': 'direct dev',
      'pkg:pypi/pyyaml@6.0.2': 'direct',
      'pkg:pypi/requests@2.32.3': 'direct',
      'pkg:pypi/urllib3@2.3.0': 'transitive',
    });
    const requests = byPurl(result, 'pkg:pypi/requests@2.32.3');
    expect(requests.dependsOn).toEqual([
      'pkg:pypi/certifi@2025.1.31',
      'pkg:pypi/idna@3.10',
      'pkg:pypi/urllib3@2.3.0',
    ]);
    expect(requests.line).toBe(lineOf(text, '[[package]]\nname = "requests"'));
    const sdist = /requests-2\.32\.3\.tar\.gz", hash = "sha256:([0-9a-f]+)"/.exec(text)?.[1];
    expect(requests.hashes).toEqual([{ alg: 'SHA-256', content: sdist }]);
    // No sdist: the wheel hashes stand in.
    expect(byPurl(result, 'pkg:pypi/urllib3@2.3.0').hashes).toHaveLength(1);
    expect(purls(uvLockReader.read(text))).not.toContain('pkg:pypi/pytest@8.3.4');
  });

  it('several versions of one name resolve by the version uv writes; local packages are noted', () => {
    const lock = [
      'version = 1',
      '',
      '[[package]]',
      'name = "app"',
      'version = "1.0"',
      'source = { virtual = "." }',
      'dependencies = [{ name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" } }, { name = "vendored" }]',
      '',
      '[[package]]',
      'name = "numpy"',
      'version = "1.26.4"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
      '[[package]]',
      'name = "numpy"',
      'version = "2.1.0"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
      '[[package]]',
      'name = "vendored"',
      'version = "0.1"',
      'source = { directory = "libs/vendored" }',
      'dependencies = [{ name = "numpy", version = "2.1.0", source = { registry = "https://pypi.org/simple" } }]',
    ].join('\n');
    const result = uvLockReader.read(lock);
    expect(summary(result)).toEqual({
      'pkg:pypi/numpy@1.26.4': 'direct',
      'pkg:pypi/numpy@2.1.0': 'transitive',
    });
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'info', line: 19 })]);
  });

  it('an unknown version is an error; malformed TOML reports the line', () => {
    const unknown = uvLockReader.read('version = 2\n');
    expect(unknown.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/version 2.*supported versions are 1/),
      }),
    ]);
    const malformed = uvLockReader.read('version = 1\n\n[[package]\nname = "x"\n');
    expect(malformed.problems).toEqual([expect.objectContaining({ severity: 'error', line: 3 })]);
  });
});

const READERS: readonly DependencyReader[] = [
  packageLockReader,
  yarnLockReader,
  pnpmLockReader,
  requirementsTxtReader,
  poetryLockReader,
  pipfileLockReader,
  uvLockReader,
];

const FIXTURE_TEXTS = [
  'package-lock-v1.json',
  'package-lock-v3.json',
  'yarn-classic.lock',
  'yarn-berry.lock',
  'pnpm-lock-v9.yaml',
  'pnpm-lock-v5.yaml',
  'requirements-pip-compile.txt',
  'poetry-1.lock',
  'Pipfile.lock',
  'uv.lock',
].map(fixture);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom('\n', ' ', ':', '"', '{', '}', '[', ']', '@', '/', '#', '\\', '=', '__proto__'),
      loneSurrogate,
    ),
    maxLength: 200,
  }),
  fc
    .json()
    .map(
      (j) => `{ "lockfileVersion": 3, "packages": ${j}, "_meta": { "pipfile-spec": 6 }, "default": ${j} }`,
    ),
);

describe('robustness', () => {
  it('no reader throws on arbitrary text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const reader of READERS) {
          const result = reader.read(text, { includeDev: true });
          expect(Array.isArray(result.components)).toBe(true);
        }
        applyManifest(yarnLockReader.read(text), text);
      }),
      { numRuns: 300 },
    );
  });

  it('no reader throws on damaged real lockfiles', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURE_TEXTS.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat({ max: 40 }),
        fc.string({ unit: 'binary', maxLength: 10 }),
        (index, where, cut, insert) => {
          const original = FIXTURE_TEXTS[index] ?? '';
          const at = Math.floor(where * original.length);
          const text = original.slice(0, at) + insert + original.slice(at + cut);
          for (const reader of READERS) reader.read(text, { includeDev: true });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('__proto__ and constructor keys neither pollute prototypes nor read inherited members', () => {
    const npm = packageLockReader.read(
      '{ "lockfileVersion": 3, "packages": { "": { "dependencies": { "__proto__": "1", "constructor": "1" } }, "node_modules/__proto__": { "version": "1.0.0" }, "__proto__": { "polluted": "yes" } } }',
    );
    expect(purls(npm)).toEqual(['pkg:npm/__proto__@1.0.0']);
    const v1 = packageLockReader.read(
      '{ "lockfileVersion": 1, "dependencies": { "constructor": { "version": "1.0.0", "requires": { "toString": "1" } } } }',
    );
    expect(purls(v1)).toEqual(['pkg:npm/constructor@1.0.0']);
    pnpmLockReader.read(
      "lockfileVersion: '9.0'\n__proto__:\n  polluted: yes\npackages:\n  __proto__:\n    polluted: yes\n",
    );
    yarnLockReader.read('__metadata:\n  version: 8\n"__proto__":\n  polluted: yes\n');
    poetryLockReader.read('[__proto__]\npolluted = "yes"\n[metadata]\nlock-version = "2.0"\n');
    pipfileLockReader.read(
      '{ "_meta": { "pipfile-spec": 6 }, "__proto__": { "polluted": "yes" }, "default": { "__proto__": { "version": "==1.0" } } }',
    );
    applyManifest(npm, '{ "__proto__": { "polluted": "yes" }, "dependencies": { "__proto__": "1" } }');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reads a large lockfile in linear time', () => {
    const packages: Record<string, unknown> = { '': { dependencies: { 'p-0': '1' } } };
    for (let i = 0; i < 20000; i++) {
      packages[`node_modules/p-${i}`] = {
        version: `1.0.${i}`,
        integrity: `sha512-${'A'.repeat(86)}==`,
        dependencies: { [`p-${i + 1}`]: '1', q: '1' },
      };
      packages[`node_modules/p-${i}/node_modules/q`] = { version: `2.0.${i}` };
    }
    const text = JSON.stringify({ lockfileVersion: 3, packages }, null, 2);
    const started = Date.now();
    const result = packageLockReader.read(text);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.components).toHaveLength(40000);
    expect(byPurl(result, 'pkg:npm/p-19999@1.0.19999').line).toBe(lineOf(text, '"node_modules/p-19999": {'));
  });
});
