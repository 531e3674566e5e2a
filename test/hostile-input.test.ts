/**
 * Hostile and unusual input that used to end in an internal error, a stack trace or a wrong verdict
 * (issue 10, sections 1 and 3): report encodings, DOCTYPE text in CDATA, a saved scan of another
 * shape, a corrupted advisory row, and a 6,000-deep `partOf` chain.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { projectFileReader } from '../src/cli/evidence-hasher.js';
import { readJUnit } from '../src/evidence/junit.js';
import { decodeReport, reportSha256 } from '../src/evidence/report-encoding.js';
import { parseXmlSafely } from '../src/util/xml-parse.js';
import { CLI, REPO, runCli, starterProject } from './helpers.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const junit = (declaration: string, name: string) =>
  `${declaration}\n<testsuites name="system">\n  <testsuite name="therapy" tests="1" timestamp="2026-09-30T08:00:00">\n    <testcase classname="therapy" name="${name}"/>\n  </testsuite>\n</testsuites>\n`;

const importArgs = (file: string) => [
  'evidence',
  'import',
  file,
  '-C',
  '.',
  '--version',
  '0.1.0',
  '--executed-by',
  'CI',
];

describe('report encodings: import and gate hash the same raw bytes', () => {
  it('imports an ISO-8859-1 report, records the sha256 of its bytes and finds it unchanged on re-import', () => {
    const bytes = Buffer.from(
      junit('<?xml version="1.0" encoding="ISO-8859-1"?>', '[TC-001] Dosis für Säuglinge'),
      'latin1',
    );
    expect(bytes.includes(0xfc)).toBe(true); // ü as one latin1 byte: not valid UTF-8
    const dir = starterProject({ 'reports/latin1.xml': bytes });
    const first = runCli(importArgs('reports/latin1.xml'), dir);
    expect(first.code, first.stderr).toBe(0);
    const record = fs.readFileSync(path.join(dir, 'records/evidence/RUN-001.yaml'), 'utf8');
    expect(record).toContain(`sha256: ${sha256(bytes)}`);
    // The gate reads the file through the same reader and hashes it with the same function.
    expect(reportSha256(projectFileReader(dir)('reports/latin1.xml') as Uint8Array)).toBe(sha256(bytes));
    expect(record).toContain('Dosis für Säuglinge');
    expect(record).not.toContain('\uFFFD');
    const again = runCli(importArgs('reports/latin1.xml'), dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already imported as RUN-001');
  });

  it('imports UTF-16 reports with a byte order mark (LE and BE)', () => {
    const text = junit('<?xml version="1.0" encoding="UTF-16"?>', '[TC-001] Grenzwert µg/kg');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [le, be]) {
      const dir = starterProject({ 'reports/utf16.xml': bytes });
      const imported = runCli(importArgs('reports/utf16.xml'), dir);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('1 passed');
      const record = fs.readFileSync(path.join(dir, 'records/evidence/RUN-001.yaml'), 'utf8');
      expect(record).toContain(`sha256: ${sha256(bytes)}`);
      expect(record).toContain('Grenzwert µg/kg');
    }
  });

  it('refuses bytes that are not valid in the declared encoding, and unsupported encodings, with a clear error', () => {
    const invalid = Buffer.from(
      junit('<?xml version="1.0" encoding="UTF-8"?>', '[TC-001] Dosis für'),
      'latin1',
    );
    const dir = starterProject({
      'reports/bad.xml': invalid,
      'reports/ebcdic.xml': junit('<?xml version="1.0" encoding="EBCDIC-US"?>', '[TC-001] x'),
    });
    const bad = runCli(importArgs('reports/bad.xml'), dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('reports/bad.xml');
    expect(bad.stderr).toMatch(/not valid UTF-8/);
    expect(bad.stderr).not.toMatch(/internal error|\n\s+at /);
    const ebcdic = runCli(importArgs('reports/ebcdic.xml'), dir);
    expect(ebcdic.code).toBe(1);
    expect(ebcdic.stderr).toMatch(/reports\/ebcdic\.xml.*encoding "EBCDIC-US", which is not supported/);
    expect(fs.existsSync(path.join(dir, 'records/evidence/RUN-001.yaml'))).toBe(false);
  });

  it('decodes by BOM and declaration, never replacing characters', () => {
    expect(decodeReport(Buffer.from('<?xml version="1.0"?><a>é</a>'))).toEqual({
      ok: true,
      text: '<?xml version="1.0"?><a>é</a>',
      encoding: 'UTF-8',
    });
    const cp1252 = Buffer.from([
      ...Buffer.from("<?xml version='1.0' encoding='windows-1252'?><a>"),
      0x80,
      ...Buffer.from('</a>'),
    ]);
    expect(decodeReport(cp1252)).toMatchObject({
      ok: true,
      text: "<?xml version='1.0' encoding='windows-1252'?><a>€</a>",
    });
    expect(decodeReport(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false });
    // A UTF-8 BOM stays in the text (the readers skip it), so the text's UTF-8 is the file's bytes.
    expect(decodeReport(Buffer.from('\uFEFF<a/>'))).toMatchObject({ ok: true, text: '\uFEFF<a/>' });
    // A lone surrogate in UTF-16 is an error, not U+FFFD.
    expect(decodeReport(Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x00, 0xd8, 0x3e, 0x00]))).toMatchObject({
      ok: false,
    });
  });
});

describe('the DOCTYPE guard refuses only a real DOCTYPE', () => {
  it('reads a JUnit report whose CDATA, comments or text mention <!DOCTYPE and <!ENTITY', () => {
    const report = `<?xml version="1.0"?>
<!-- generated; no <!DOCTYPE x [<!ENTITY here "no">]> -->
<testsuite name="s">
  <testcase name="[TC-001] renders the help page">
    <system-out><![CDATA[<!DOCTYPE html [<!ENTITY nbsp "&#160;">]><html>&nbsp;</html>]]></system-out>
  </testcase>
  <testcase name="[TC-002] escapes"><failure message="got &lt;!DOCTYPE x [&lt;!ENTITY y 'z'&gt;]&gt;"/></testcase>
</testsuite>
`;
    const read = readJUnit(report);
    expect(read.problems).toEqual([]);
    expect(read.cases.map((c) => c.name)).toEqual(['[TC-001] renders the help page', '[TC-002] escapes']);
  });

  it('keeps refusing entity declarations in a real DOCTYPE, also after comments and processing instructions', () => {
    for (const doc of [
      '<?xml version="1.0"?><!-- c --><?pi x?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
      '<!DOCTYPE a [<!ATTLIST a b CDATA "<!--"> <!ENTITY x SYSTEM "file:///etc/passwd"> <!-- -->]><a>&x;</a>',
      '<a><![CDATA[x]]></a><!DOCTYPE a [<!ENTITY x "y">]>',
      '<!DOCTYPE a [ <!-- ] --> <!ATTLIST a b CDATA "<!--"> <!ENTITY x SYSTEM "f"> <!-- --> ]><a/>',
      '<!DOCTYPE a SYSTEM "x>[" [<!ENTITY x "y">]><a/>',
      '<!DOCTYPE a [<!ATTLIST a b CDATA "]>"><!ENTITY x "y">]><a/>',
      '<!DOCTYPE a [<!ENTITY x "y">',
    ]) {
      const parsed = parseXmlSafely(doc);
      expect(parsed.ok, doc).toBe(false);
      if (!parsed.ok) expect(parsed.message, doc).toMatch(/entit/i);
    }
  });
});

describe('a 6,000-deep partOf chain', () => {
  it('a partOf cycle under a code tag ends (the walk over parts remembers what it saw)', () => {
    const item = (id: string, parent: string, files = '') =>
      `---\nid: ${id}\ntitle: Loop ${id}\nstatus: draft\nitemType: item\npartOf: ${parent}\ninterfaces: None.\n${files}---\nPart of a loop.\n`;
    const dir = starterProject({
      'src/loop/a.c': '/* @implements SRS-002 */\n',
      'records/architecture/SI-101.md': item('SI-101', 'SI-102', 'sourceFiles: ["src/loop/**"]\n'),
      'records/architecture/SI-102.md': item('SI-102', 'SI-101'),
    });
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), '\ncodeTags:\n  sources: ["src/**/*.c"]\n');
    const run = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.signal, 'check did not end').toBeNull();
    const codes = (JSON.parse(run.stdout) as { diagnostics: { code: string }[] }).diagnostics.map(
      (d) => d.code,
    );
    expect(codes).toContain('tag/untraced');
    expect(codes).toContain('link/cycle');
  });

  it('is classified, traced and checked without a stack overflow', () => {
    const depth = 6000;
    const items = Array.from({ length: depth }, (_, i) => {
      const id = `SI-${1000 + i}`;
      const parent = i === 0 ? 'SI-002' : `SI-${999 + i}`;
      return `  - id: ${id}\n    title: Layer ${i}\n    itemType: unit\n    partOf: ${parent}\n    interfaces: Passes calls through to the layer below.\n    design: Forwards each call unchanged.\n    noContribution: A pass-through layer with no behaviour of its own.\n`;
    });
    // In files of 1,000 records: one file of 6,000 would exceed the loader's 1 MiB limit.
    const files: Record<string, string> = {};
    for (let i = 0; i < depth; i += 1000)
      files[`records/architecture/deep-${i}.yaml`] =
        `kind: software-item\nrecords:\n${items.slice(i, i + 1000).join('')}`;
    const dir = starterProject(files);
    // Written to a file: 6,000 class C units without a detailed design review are 6,000 warnings.
    const result = runCli(['check', '.', '--format', 'json', '-o', 'check.json'], dir);
    expect(result.stderr).not.toMatch(/internal error|Maximum call stack|\n\s+at /);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'check.json'), 'utf8')) as {
      diagnostics: { code: string }[];
    };
    expect(report.diagnostics.map((d) => d.code)).not.toContain('load/too-large');
    // Written to files: the outputs of 6,000 items exceed the child-process buffer of runCli.
    for (const command of ['trace', 'classify']) {
      const run = runCli([command, '.', '-o', `${command}.txt`], dir);
      expect(run.stderr, command).not.toMatch(/internal error|Maximum call stack|\n\s+at /);
      expect(run.code, command).not.toBe(2);
    }
    expect(fs.readFileSync(path.join(dir, 'classify.txt'), 'utf8')).toMatch(
      /SI-6999 +unit +declared - +computed C +inherited/,
    );
  });
});

/** A project with npm SOUP (debug 4.3.4 among them) and an advisory affecting it, imported. */
function soupProject(): string {
  const advisory = {
    schema_version: '1.7.0',
    id: 'x_TEST-0001',
    modified: '2026-11-10T00:00:00Z',
    published: '2026-11-09T00:00:00Z',
    summary: 'Regular expression denial of service in debug',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'debug' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '4.0.0' }, { fixed: '4.3.5' }] }],
      },
    ],
  };
  const dir = starterProject({
    'web/package-lock.json': fs.readFileSync(path.join(REPO, 'test/fixtures/lockfiles/package-lock-v3.json')),
    'advisories/x_TEST-0001.json': JSON.stringify(advisory),
  });
  for (const args of [
    ['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'],
    ['advisories', 'import', 'advisories'],
  ]) {
    const run = runCli(args, dir);
    if (run.code !== 0) throw new Error(run.stderr);
  }
  return dir;
}

const noCrash = /internal error|\n\s+at |SyntaxError|TypeError/;

describe('soup scan --since last with a saved scan of another shape', () => {
  it('warns naming the file and compares with no earlier scan, so every finding shows as new', () => {
    const dir = soupProject();
    const lastScan = path.join(dir, '.dossier/last-scan.json');
    for (const content of [
      '{"scannedAt": 7, "findings": [null, 3]}',
      '{"findings": [{"soupId": 1}]}',
      '[]',
      'null',
      '{not json',
    ]) {
      fs.writeFileSync(lastScan, content);
      const scan = runCli(['soup', 'scan', '--since', 'last', '--no-save', '--format', 'json'], dir);
      expect(scan.stderr, content).not.toMatch(noCrash);
      expect(scan.stderr, content).toContain(
        'warning: .dossier/last-scan.json is not a scan saved by this version of Dossier',
      );
      expect(scan.code, content).toBe(1);
      const report = JSON.parse(scan.stdout) as { since: string; findings: { new: boolean }[] };
      expect(report.since, content).toBe('no earlier scan');
      expect(
        report.findings.map((f) => f.new),
        content,
      ).toEqual([true]);
    }
  });
});

describe('a corrupted row in the advisory database', () => {
  it('is a finding that says the advisory could not be read, never "no vulnerability"', () => {
    for (const raw of [
      '{"id": "x_TEST-0001", "modified": ',
      '{"id": "x_TEST-0001", "affected": "debug"}',
      '[]',
    ]) {
      const dir = soupProject();
      const db = new Database(path.join(dir, '.dossier/advisories.sqlite'));
      db.prepare('UPDATE advisories SET raw = ? WHERE id = ?').run(raw, 'x_TEST-0001');
      db.close();
      const scan = runCli(['soup', 'scan', '--no-save', '--format', 'json'], dir);
      expect(scan.stderr, raw).not.toMatch(noCrash);
      expect(scan.code, raw).toBe(1);
      const report = JSON.parse(scan.stdout) as {
        findings: { advisory: string; needsEvaluation: boolean; reasons: string[] }[];
      };
      expect(report.findings, raw).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({ advisory: 'x_TEST-0001', needsEvaluation: true });
      expect(report.findings[0]!.reasons.join(' '), raw).toMatch(
        /the stored advisory x_TEST-0001 could not be read .*assumed affected/,
      );
      const text = runCli(['soup', 'scan', '--no-save'], dir);
      expect(text.stderr).not.toMatch(noCrash);
      expect(text.stdout).toContain('could not be read');
    }
  });
});

describe('the gate reads reports only inside the project', () => {
  it('a report path that leads outside the project reads as missing, not as present evidence', () => {
    const dir = starterProject({ 'reports/inside.xml': 'inside' });
    const outside = path.join(path.dirname(dir), `${path.basename(dir)}-outside.xml`);
    fs.writeFileSync(outside, 'outside');
    const read = projectFileReader(dir);
    expect(read('reports/inside.xml')).toBeDefined();
    expect(read(`../${path.basename(outside)}`)).toBeUndefined();
    expect(read(outside)).toBeUndefined();
  });
});
