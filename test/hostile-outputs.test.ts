/**
 * Outputs built from hostile configuration and record text (issue 10, section 3): Markdown escapes
 * values from dossier.yaml as well as records, SVG stays well-formed XML 1.0 whatever the text, and
 * CSV cells cannot become spreadsheet formulas in comma, semicolon or tab locales.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../src/util/csv.js';
import { escapeXml } from '../src/util/xml.js';
import { copyDir, EXAMPLE, runCli } from './helpers.js';

/** The example with a device name and a severity label an attacker chose. */
function exampleWithHostileConfig(): string {
  const copy = copyDir(EXAMPLE);
  const file = path.join(copy, 'dossier.yaml');
  const yaml = fs
    .readFileSync(file, 'utf8')
    .replace(
      'name: SP-200 Syringe Infusion Pump',
      'name: "SP-200 | <img src=x onerror=alert(1)> \\x01\\e[2K\\x7f\\uFFFE"',
    )
    .replace('label: Negligible,', 'label: "Negl|igible <b>\\x02",');
  fs.writeFileSync(file, yaml);
  return copy;
}

/** Characters XML 1.0 allows (the Char production): tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, astral. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

describe('hostile values from dossier.yaml in outputs', () => {
  const dir = exampleWithHostileConfig();

  it('the Markdown risk report escapes the device name and the scale labels', () => {
    const r = runCli(['risk', dir, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).not.toContain('<b>');
    expect(r.stdout).toContain('SP-200 \\| &lt;img');
    // The header row of each matrix keeps its column count: the label's pipe is escaped.
    const header = r.stdout.split('\n').find((l) => l.startsWith('| Severity \\ Probability'))!;
    expect(header).toBeDefined();
    const severityRow = r.stdout.split('\n').find((l) => l.includes('Negl'))!;
    expect(severityRow).toContain('Negl\\|igible &lt;b&gt;');
  });

  it('the SVG risk matrices are well-formed XML 1.0 whatever the text', () => {
    for (const matrix of ['initial', 'residual']) {
      const out = path.join(dir, 'out', `${matrix}.svg`);
      const r = runCli(['risk', dir, '--format', 'svg', '--matrix', matrix, '--out', out]);
      expect(r.code).toBe(0);
      const svg = fs.readFileSync(out, 'utf8');
      expect(svg).not.toMatch(NOT_XML_CHAR);
      expect(svg).toContain('SP-200 | &lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('the built documents carry no character XML 1.0 forbids in any SVG', () => {
    const out = path.join(dir, 'out', 'build');
    runCli(['build', dir, '--out', out]);
    const svgs = fs.readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    for (const f of svgs) expect(fs.readFileSync(path.join(out, f), 'utf8')).not.toMatch(NOT_XML_CHAR);
  });
});

describe('escapeXml', () => {
  it('escapes markup and replaces characters XML 1.0 forbids with a visible escape', () => {
    expect(escapeXml('a<b>&"\'\x00\x1b\x7f\ufffe\ud800z\tok\u{1f600}')).toBe(
      'a&lt;b&gt;&amp;&quot;&apos;\\x00\\x1b\x7f\\ufffe\\ud800z\tok\u{1f600}',
    );
  });
});

describe('csvCell', () => {
  it('quotes a cell containing a semicolon (the separator of semicolon locales)', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
  });

  it('neutralises a formula after any separator a spreadsheet may split on', () => {
    for (const cell of ['x;=cmd()', 'a,@SUM(A1)', 'note\t+1', 'a; =1', 'a;\t-2']) {
      expect(csvCell(cell).replace(/^"/, '')).toMatch(/^'/);
    }
  });

  it('leaves ordinary text alone', () => {
    expect(csvCell('Mbed TLS 3.6.2')).toBe('Mbed TLS 3.6.2');
    expect(csvCell('a - b')).toBe('a - b');
    expect(csvCell('=1')).toBe("'=1");
  });
});
