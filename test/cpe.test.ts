/**
 * The `cpe` field of SOUP records (CPE 2.3 formatted strings, NISTIR 7695) and its rules: a
 * malformed CPE is a finding at its line; a CPE of no exact version, or of another version than
 * the record's, is refused.
 */
import { describe, expect, it } from 'vitest';
import { CpeSyntaxError, cpeVersionMatches, parseCpe, soupCpeProblem } from '../src/soup/cpe/name.js';
import { check, writeProject } from './helpers.js';

describe('CPE 2.3 formatted strings', () => {
  it('reads the eleven attributes, lowercased, escapes kept', () => {
    const cpe = parseCpe('cpe:2.3:a:Arm:mbed_tls:3.6.2:*:*:*:*:*:*:*');
    expect([cpe.part, cpe.vendor, cpe.product, cpe.version, cpe.update, cpe.other]).toEqual([
      'a',
      'arm',
      'mbed_tls',
      '3.6.2',
      '*',
      '*',
    ]);
    const escaped = parseCpe('cpe:2.3:o:cisco:ios:12.2\\(33\\)sxi\\:x:*:*:*:*:*:*:*');
    expect(escaped.version).toBe('12.2\\(33\\)sxi\\:x');
  });

  it.each([
    ['cpe:/a:arm:mbed_tls:3.6.2', /CPE 2\.2 URI/],
    ['cpe:2.3:a:arm:mbed_tls:3.6.2', /has 6 colon-separated components.*13/],
    ['cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*:*', /has 14 colon-separated/],
    ['cpe:2.3:x:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*', /part is "x"/],
    ['cpe:2.3:a:arm:mbed tls:3.6.2:*:*:*:*:*:*:*', /contains a space/],
    ['cpe:2.3:a:arm:mbed+tls:3.6.2:*:*:*:*:*:*:*', /unescaped "\+": write \\\+/],
    ['cpe:2.3:a:arm::3.6.2:*:*:*:*:*:*:*', /product component is empty/],
    ['cpe:2.3:a:arm:mbed_tls:3.6.2\\a:*:*:*:*:*:*:*', /escapes "a"/],
  ])('refuses %s', (text, message) => {
    expect(() => parseCpe(text)).toThrow(CpeSyntaxError);
    expect(() => parseCpe(text)).toThrow(message);
  });

  it('allows wildcards at the ends of values in match criteria only', () => {
    expect(parseCpe('cpe:2.3:a:arm:mbed_tls:3.6.*:*:*:*:*:*:*:*', { wildcards: true }).version).toBe('3.6.*');
    expect(() => parseCpe('cpe:2.3:a:arm:mbed_tls:3.*.2:*:*:*:*:*:*:*', { wildcards: true })).toThrow(
      /inside/,
    );
    expect(soupCpeProblem('cpe:2.3:a:arm:mbed_tls:3.6.*:*:*:*:*:*:*:*')).toMatch(/wildcard "\*"/);
  });

  it('a SOUP CPE names a part, vendor, product and an exact version', () => {
    expect(soupCpeProblem('cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*')).toBeUndefined();
    expect(soupCpeProblem('cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*')).toMatch(/version is \*.*exact version/);
    expect(soupCpeProblem('cpe:2.3:a:lwip_project:lwip:-:*:*:*:*:*:*:*')).toMatch(/version is -/);
    expect(soupCpeProblem('cpe:2.3:*:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*')).toMatch(/part must be a, o or h/);
    expect(soupCpeProblem('cpe:2.3:a:*:mbed_tls:3.6.2:*:*:*:*:*:*:*')).toMatch(/vendor must be named/);
  });

  it('compares the CPE version with the record version', () => {
    expect(cpeVersionMatches('11.1.0', 'V11.1.0')).toBe(true);
    expect(cpeVersionMatches('4.3.0', '4.3.0 (toolchain 13.2.Rel1)')).toBe(true);
    expect(cpeVersionMatches('3.6.0', '3.6.2')).toBe(false);
    expect(cpeVersionMatches('3.6', '3.6.2')).toBe(false);
  });
});

const soupFile = (cpe: string) => `kind: soup
records:
  - id: SOUP-001
    title: Mbed TLS
    manufacturer: Trusted Firmware
    version: 3.6.2
${cpe}
`;

describe('the cpe field of SOUP records', () => {
  it('accepts one CPE or a list of vendor aliases', () => {
    const one = writeProject({
      'records/soup.yaml': soupFile('    cpe: cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*'),
    });
    const list = writeProject({
      'records/soup.yaml': soupFile(
        '    cpe:\n      - cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*\n      - cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*',
      ),
    });
    for (const dir of [one, list]) {
      const found = check(dir).filter((d) => d.code.startsWith('schema/') || d.code === 'soup/cpe-version');
      expect(found).toEqual([]);
    }
  });

  it('reports a malformed CPE in a list at its file and line', () => {
    const dir = writeProject({
      'records/soup.yaml': soupFile(
        '    cpe:\n      - cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*\n      - cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2',
      ),
    });
    const bad = check(dir).filter((d) => d.code.startsWith('schema/'));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'error', file: 'records/soup.yaml', line: 9 });
    expect(bad[0]!.message).toMatch(/has 6 colon-separated components/);
  });

  it('refuses a CPE of any version, and one naming another version than the record', () => {
    const any = writeProject({
      'records/soup.yaml': soupFile('    cpe: cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*'),
    });
    const anyFindings = check(any).filter((d) => d.code.startsWith('schema/'));
    expect(anyFindings).toHaveLength(1);
    expect(anyFindings[0]).toMatchObject({ severity: 'error', file: 'records/soup.yaml', line: 7 });
    expect(anyFindings[0]!.message).toMatch(/exact version/);

    const old = writeProject({
      'records/soup.yaml': soupFile('    cpe: cpe:2.3:a:arm:mbed_tls:3.6.0:*:*:*:*:*:*:*'),
    });
    const stale = check(old).filter((d) => d.code === 'soup/cpe-version');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ severity: 'error', file: 'records/soup.yaml', line: 7 });
    expect(stale[0]!.message).toMatch(/version 3\.6\.2, but its CPE .* names version 3\.6\.0/);
  });
});
