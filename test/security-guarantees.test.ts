/**
 * Guarantees of docs/security.md that hold by construction, tested so that they keep holding:
 * no network outside `advisories sync`, no external DTD or XInclude ever fetched, zip entry names
 * never used as paths, and no code run from what Dossier reads (no eval, no shell, git only with
 * fixed arguments).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readCobertura } from '../src/evidence/coverage.js';
import { readJUnit } from '../src/evidence/junit.js';
import { importAdvisories } from '../src/soup/advisories/import.js';
import { openAdvisoryStore } from '../src/soup/advisories/store.js';
import { cyclonedxXmlReader } from '../src/soup/import/cyclonedx-xml.js';
import { mavenPomReader } from '../src/soup/import/maven-pom.js';
import { gitShowHead } from '../src/util/git.js';
import { copyDir, EXAMPLE, REPO, starterProject } from './helpers.js';
import { type CliRun, CRASH, changes, limited, runCliGuarded, snapshot } from './security-helpers.js';
import { writeZip } from './zip-writer.js';

const SRC = path.join(REPO, 'src');

/** Every TypeScript file under src/, project-relative, with its text. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts'))
        out.push({
          file: path.relative(REPO, full).split(path.sep).join('/'),
          text: fs.readFileSync(full, 'utf8'),
        });
    }
  };
  walk(SRC);
  return out;
}

/** `file:line` of each line of `text` that matches `pattern`, comments left out. */
function uses(files: { file: string; text: string }[], pattern: RegExp): string[] {
  return files.flatMap(({ file, text }) =>
    text.split('\n').flatMap((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
      return pattern.test(code) ? [`${file}:${i + 1}`] : [];
    }),
  );
}

const filesOf = (hits: string[]) => [...new Set(hits.map((h) => h.replace(/:\d+$/, '')))].sort();

// ---------------------------------------------------------------------------------------------
// (a) No network outside `advisories sync`

describe('no network except advisories sync', () => {
  it('only src/soup/advisories/sync.ts can open a connection (static)', () => {
    const all = sources();
    const networkModules =
      /from ['"](node:)?(http|https|http2|net|tls|dns|dgram|undici|axios|got|node-fetch|ws|request|superagent)(\/[^'"]*)?['"]/;
    // `dossier serve` listens (docs/site.md): src/site/server.ts is the one module that imports
    // node:http, and it only creates a server; it never opens a connection.
    expect(uses(all, networkModules)).toEqual([expect.stringMatching(/^src\/site\/server\.ts:\d+$/)]);
    const server = all.find((s) => s.file === 'src/site/server.ts')!.text;
    expect(
      server
        .match(/\bhttp\.\w+/g)
        ?.filter((m) => m !== 'http.createServer' && !/^http\.(IncomingMessage|ServerResponse)$/.test(m)),
    ).toEqual([]);
    // fetch is the one way: sync.ts calls it (or the fetchImpl a test gives it).
    expect(
      filesOf(uses(all, /\bfetch\(|globalThis\.fetch|\?\?\s*fetch\b|\bXMLHttpRequest\b|\bWebSocket\b/)),
    ).toEqual(['src/soup/advisories/sync.ts']);
  });

  it('every other command runs with all network access denied, and sync is caught trying', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-offline-'));
    const dir = path.join(base, 'example');
    fs.cpSync(copyDir(EXAMPLE), dir, { recursive: true });
    // `build` runs check, trace, risk, classification, the SBOMs, the SOUP list and scan in one
    // process; the others are the commands with their own reading or writing.
    const commands: string[][] = [
      ['advisories', 'import', 'advisories/npm', '-q'],
      ['advisories', 'status'],
      ['check', '.'],
      ['soup', 'scan', '--no-save'],
      ['release', 'check', '1.1.0', '.', '--manifest', 'out/manifest.json'],
      ['build', '.', '--out', 'out/build'],
      ['soup', 'import', 'web/service-ui/package-lock.json', '--dry-run'],
      [
        'evidence',
        'import',
        'evidence/1.2.0-rc1/service-ui-playwright.xml',
        '--version',
        '1.2.0-rc1',
        '--executed-by',
        'CI',
      ],
      ['init', 'out/new-project', '--name', 'New', '--manufacturer', 'Co', '--class', 'B'],
    ];
    // The control: sync really goes through the functions the preload replaces (it retries, so it
    // runs beside the others).
    const sync = runCliGuarded(
      [
        'advisories',
        'sync',
        '--ecosystem',
        'npm',
        '--base-url',
        'http://127.0.0.1:9',
        '-q',
        '--db',
        'out/sync.sqlite',
      ],
      dir,
    );
    const runs = await limited(
      1,
      commands.map((args) => () => runCliGuarded(args, dir)),
    );
    runs.forEach((run, i) => {
      const where = `dossier ${commands[i]!.join(' ')}`;
      expect(run.network, where).toEqual([]);
      expect([0, 1, 2], `${where}: exit ${run.code}\n${run.stderr}`).toContain(run.code);
      expect(run.stdout + run.stderr, where).not.toMatch(CRASH);
    });
    // Some commands really did their work offline.
    expect(runs[0]!.stdout).toMatch(/3 records \(3 added/);
    expect(fs.existsSync(path.join(dir, 'out/build/manifest.json'))).toBe(true);
    const synced = await sync;
    expect(synced.network.join('\n')).toMatch(/fetch http:\/\/127\.0\.0\.1:9\/npm\/all\.zip/);
    expect(synced.stdout + synced.stderr).not.toMatch(CRASH);
    fs.rmSync(base, { recursive: true, force: true });
  });
});

// ---------------------------------------------------------------------------------------------
// (b) XML: no external DTD, no XInclude

describe('XML readers never fetch an external DTD and never process XInclude', () => {
  let server: http.Server;
  const hits: string[] = [];
  let origin = '';
  let dir = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<!ENTITY secret "FROM-THE-SERVER"><!ATTLIST testcase name CDATA "[TC-009] FROM-THE-SERVER">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-xml-'));
    // What a parser that loads external resources would find on disk.
    fs.writeFileSync(path.join(dir, 'evil.dtd'), '<!ENTITY secret "FROM-THE-DISK">');
    fs.writeFileSync(
      path.join(dir, 'included.xml'),
      '<testcase name="[TC-008] FROM-THE-DISK"/><dependency><groupId>evil</groupId><artifactId>FROM-THE-DISK</artifactId><version>6.6.6</version></dependency>',
    );
  });
  afterAll(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const external = () => ({
    http: `<!DOCTYPE root SYSTEM "${origin}/evil.dtd">`,
    public: `<!DOCTYPE root PUBLIC "-//Evil//DTD//EN" "${origin}/public.dtd">`,
    file: `<!DOCTYPE root SYSTEM "file://${dir}/evil.dtd">`,
  });
  const includes = () =>
    `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${origin}/included.xml"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${dir}/included.xml"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="included.xml" parse="xml"/>`;

  const junit = (doctype: string) =>
    `<?xml version="1.0"?>\n${doctype.replace('root', 'testsuite')}\n<testsuite name="s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="${origin}/junit.xsd" timestamp="2026-01-10T08:00:00">\n  <testcase classname="c" name="[TC-001] &secret; stays as written"/>\n  ${includes()}\n</testsuite>\n`;
  const cobertura = (doctype: string) =>
    `<?xml version="1.0"?>\n${doctype.replace('root', 'coverage')}\n<coverage line-rate="1" branch-rate="1" version="gcovr 7.2" timestamp="1"><sources><source>src</source></sources><packages><package name="p"><classes><class name="a" filename="a.c" line-rate="1"><lines><line number="1" hits="1"/></lines></class>${includes()}</classes></package></packages></coverage>\n`;
  const pom = (doctype: string) =>
    `<?xml version="1.0"?>\n${doctype.replace('root', 'project')}\n<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 ${origin}/maven.xsd"><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><dependencies><dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.13</version></dependency>${includes()}</dependencies></project>\n`;
  const bom = (doctype: string) =>
    `<?xml version="1.0"?>\n${doctype.replace('root', 'bom')}\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>debug</name><version>4.3.4</version><purl>pkg:npm/debug@4.3.4</purl></component>${includes()}</components></bom>\n`;

  it('the readers read what the document holds, nothing from the DTD or the included files', () => {
    for (const [kind, doctype] of Object.entries(external())) {
      const read = [
        readJUnit(junit(doctype)),
        readCobertura(cobertura(doctype)),
        mavenPomReader.read(pom(doctype)),
        cyclonedxXmlReader.read(bom(doctype)),
      ];
      const text = JSON.stringify(read);
      expect(text, kind).not.toMatch(/FROM-THE-(DISK|SERVER)/);
      expect(read[0]).toMatchObject({
        cases: [{ name: '[TC-001] &secret; stays as written' }],
        problems: [],
      });
      expect(
        (read[2] as unknown as { components: { purl: string }[] }).components.map((c) => c.purl),
      ).toEqual(['pkg:maven/org.slf4j/slf4j-api@2.0.13']);
      expect(
        (read[3] as unknown as { components: { purl: string }[] }).components.map((c) => c.purl),
      ).toEqual(['pkg:npm/debug@4.3.4']);
    }
  });

  it('the imports through the CLI send no request to the server the documents name', async () => {
    const project = starterProject();
    const files: Record<string, string> = {};
    for (const [kind, doctype] of Object.entries(external())) {
      files[`reports/${kind}-junit.xml`] = junit(doctype);
      files[`reports/${kind}-cobertura.xml`] = cobertura(doctype);
      files[`deps/${kind}/pom.xml`] = pom(doctype);
      files[`deps/${kind}/bom.cdx.xml`] = bom(doctype);
    }
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
      fs.writeFileSync(path.join(project, rel), text);
    }
    const reports = Object.keys(files).filter((f) => f.startsWith('reports/'));
    const lockfiles = Object.keys(files).filter((f) => f.startsWith('deps/'));
    // Without the network guard: only the server can tell whether a request was made.
    const runs: CliRun[] = [
      await runCliGuarded(
        ['evidence', 'import', ...reports, '--version', '1.0.0', '--executed-by', 'CI'],
        project,
        {
          denyNetwork: false,
        },
      ),
      await runCliGuarded(['soup', 'import', ...lockfiles, '--date', '2026-01-10'], project, {
        denyNetwork: false,
      }),
    ];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(/FROM-THE-(DISK|SERVER)/);
    }
    expect(hits).toEqual([]);
    const written = fs.readFileSync(path.join(project, 'records/soup/imported.yaml'), 'utf8');
    expect(written).not.toMatch(/FROM-THE|evil/);
    fs.rmSync(project, { recursive: true, force: true });
  });
});

// ---------------------------------------------------------------------------------------------
// (c) Zip entry names are never paths

describe('zip entries are read into the database, never written to disk', () => {
  const record = (id: string) =>
    JSON.stringify({
      schema_version: '1.6.0',
      id,
      modified: '2026-01-02T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'debug' }, versions: ['4.3.4'] }],
    });

  it('entries named like paths, and a symbolic link entry, reach the store only as records', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-zip-'));
    const zip = path.join(base, 'osv.zip');
    const db = path.join(base, 'db', 'advisories.sqlite');
    fs.mkdirSync(path.dirname(db));
    fs.writeFileSync(
      zip,
      writeZip([
        { name: 'nested/deeper/GHSA-zip-path.json', data: record('x_ZIP-PATH-0001') },
        { name: 'dossier-entry-name.json', data: record('x_ZIP-NAME-0002') },
        { name: 'link-entry.json', data: '/etc/passwd', mode: 0o120777 },
      ]),
    );
    const fsModule = (await import('node:fs')).default;
    const touched: string[] = [];
    const spies = (
      [
        'openSync',
        'open',
        'writeFileSync',
        'writeFile',
        'appendFileSync',
        'mkdirSync',
        'mkdir',
        'symlinkSync',
        'symlink',
        'linkSync',
        'renameSync',
        'copyFileSync',
        'createWriteStream',
        'readlinkSync',
        'realpathSync',
        'statSync',
        'lstatSync',
        'existsSync',
      ] as const
    ).map((name) => {
      const original = fsModule[name] as (...args: unknown[]) => unknown;
      return vi.spyOn(fsModule, name).mockImplementation(((...args: unknown[]) => {
        if (typeof args[0] === 'string') touched.push(args[0]);
        return original.apply(fsModule, args);
      }) as never);
    });
    const outside = snapshot(base, (rel) => rel === 'db' || rel.startsWith('db/'));
    let summary: Awaited<ReturnType<typeof importAdvisories>>;
    const store = openAdvisoryStore(db);
    try {
      summary = await importAdvisories(store, zip);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const stored = ['x_ZIP-PATH-0001', 'x_ZIP-NAME-0002'].map((id) => store.get(id)[0]?.id);
    store.close();
    expect(stored).toEqual(['x_ZIP-PATH-0001', 'x_ZIP-NAME-0002']);
    expect(summary.invalid).toEqual([expect.objectContaining({ entry: 'link-entry.json' })]);
    // The spies saw the archive being opened, but no file system call named an entry, and
    // nothing appeared beside the zip.
    expect(touched).toContain(zip);
    expect(
      touched.filter((p) => /nested|deeper|GHSA-zip-path|dossier-entry-name|link-entry|passwd/.test(p)),
    ).toEqual([]);
    expect(
      changes(
        outside,
        snapshot(base, (rel) => rel === 'db' || rel.startsWith('db/')),
      ),
    ).toEqual([]);
    fs.rmSync(base, { recursive: true, force: true });
  });
  // Entries named ../, /absolute or C:\ are refused with the whole archive, writing nothing:
  // the security corpus (zip-traversal-names, zip-absolute-names) runs them through the CLI.
});

// ---------------------------------------------------------------------------------------------
// (d) No code execution from records

describe('no code runs from what Dossier reads', () => {
  const all = sources();

  it('src/ uses no eval, Function, vm, child processes, workers or dynamic loading but in named places', () => {
    // Loading code or data by a name that is not written in the source (`require(name)`,
    // `import(name)`) is as good as running it; fixed names (package.json, data/, a package) are not.
    const risky =
      /\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|['"]node:(vm|child_process|worker_threads|inspector|repl|wasi)['"]|\brequire\s*\(\s*[^'"\s]|\bimport\s*\(\s*[^'"\s]|process\.binding|process\.dlopen|set(Timeout|Interval|Immediate)\(\s*['"`]/;
    expect(uses(all, risky)).toEqual([
      // The code cache: compiles with V8's cached code only the command's own chunks, the text Node's
      // loader read from the command's folder (below).
      expect.stringMatching(/^src\/cli\/code-cache\.ts:\d+$/),
      // `dossier self-validate`: Node.js (process.execPath), no shell, on the package's own
      // acceptance suite (below).
      expect.stringMatching(/^src\/cli\/commands\/self-validate\.ts:\d+$/),
      // The loader's reading thread: one fixed module of Dossier's own, given file names to read
      // (the protocol file imports only the MessagePort type).
      expect.stringMatching(/^src\/load\/parallel-protocol\.ts:\d+$/),
      expect.stringMatching(/^src\/load\/parallel-read\.ts:\d+$/),
      expect.stringMatching(/^src\/load\/read-worker\.ts:\d+$/),
      // git, read-only, with fixed arguments (below): the only program Dossier runs.
      expect.stringMatching(/^src\/util\/git\.ts:\d+$/),
      // The garbage collector, reached by evaluating one fixed word.
      expect.stringMatching(/^src\/util\/memory\.ts:\d+$/),
    ]);
    const text = (file: string) => all.find((s) => s.file === file)!.text;
    expect(text('src/load/parallel-protocol.ts')).toContain(
      "import type { MessagePort } from 'node:worker_threads';",
    );
    const reader = text('src/load/parallel-read.ts');
    expect(reader.match(/new Worker\([^,)]+/g)).toEqual(['new Worker(WORKER_URL']);
    expect(reader).toContain("const WORKER_URL = new URL('./read-worker.js', import.meta.url);");
    expect(reader).not.toMatch(/eval\s*:/);
    const codeCache = text('src/cli/code-cache.ts');
    expect(codeCache.match(/vm\.\w+\(/g)).toEqual(['vm.Script(']);
    expect(codeCache).toContain("if (path.dirname(filename) !== codeDir || !filename.endsWith('.cjs')) {");
    expect(codeCache).toContain('new vm.Script(Module.wrap(content');
    expect(text('src/util/memory.ts').match(/vm\.\w+\([^)]*\)/g)).toEqual(["vm.runInNewContext('gc')"]);
    // Every require names a fixed module or file.
    for (const { file, text: t } of all)
      for (const m of t.matchAll(/\brequire\s*\(\s*(\S)/g))
        expect(`${file}: require(${m[1]}`).toMatch(/require\(['"]$/);
    const selfValidate = text('src/cli/commands/self-validate.ts');
    expect(selfValidate.match(/spawnSync\(\s*[^,\s]+/g)).toEqual(['spawnSync(\n    process.execPath']);
    expect(selfValidate).not.toMatch(/shell\s*:/);
    expect(selfValidate).toContain('...suite.map((f) => path.join(suiteDir, f))');
    const git = text('src/util/git.ts');
    expect(git.match(/spawnSync\([^,]+/g)).toEqual(["spawnSync('git'"]);
    expect(git).not.toMatch(/shell\s*:/);
  });

  it('git is run only from src/util/git.ts, and text from files never becomes a command or an option', () => {
    expect(filesOf(uses(all, /\brunGit\s*\(/))).toEqual(['src/util/git.ts']);
    const git = all.find((s) => s.file === 'src/util/git.ts')!.text;
    const calls = [...git.matchAll(/runGit\(\s*\w+,\s*\[([^\]]*)\]/g)].map((m) => m[1]!);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const call of calls) {
      const args = call
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      // The subcommand is a literal; a value that is not a literal starts with fixed text that is not
      // an option (`HEAD:./${rel}`) or comes after `--`.
      expect(args[0], call).toMatch(/^'[a-z-]+'$/);
      // `--` ends the options; so does `--end-of-options` (git 2.24) before a revision.
      const ends = [args.indexOf("'--'"), args.indexOf("'--end-of-options'")].filter((i) => i >= 0);
      const endOfOptions = ends.length > 0 ? Math.min(...ends) : -1;
      args.forEach((arg, i) => {
        if (/^'[^']*'$/.test(arg)) return;
        // A count computed in code (Math.trunc of a number parameter), never text from a file.
        if (arg === '`--max-count=${count}`') return;
        if (endOfOptions >= 0 && i > endOfOptions) return;
        expect(arg, call).toMatch(/^`[^-$`][^$`]*\$\{/);
      });
    }
  });

  it('a file named like a git option is read as a path at HEAD, never as an option', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-git-'));
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (git('init', '-q').status !== 0) return; // no git here: nothing to run
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init');
    for (const rel of ['--output=pwned.txt', '-o', '--exec=touch pwned', '-c core.pager=touch pwned']) {
      const read = gitShowHead(dir, rel, 1024);
      expect(read.ok, rel).toBe(false);
    }
    expect(fs.readdirSync(dir).filter((f) => f !== '.git')).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
