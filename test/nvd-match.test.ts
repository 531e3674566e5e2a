/**
 * CPE matching against NVD configurations. The expectations for the real records come from the
 * table in ../shared/data/vulnerability-feeds/nvd/README.md (which versions each record's criteria
 * include), not from this code's output.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCpe } from '../src/soup/cpe/name.js';
import { compareCVersions } from '../src/soup/cpe/version.js';
import { matchCriterion, matchCve } from '../src/soup/nvd/match.js';
import type { NvdCve } from '../src/soup/nvd/types.js';
import { MBEDTLS_362_CVES, NVD_SAMPLE } from './nvd-readme-table.js';

const SAMPLE = NVD_SAMPLE;
const present = fs.existsSync(SAMPLE);
if (!present)
  console.warn(`SKIPPED: ${SAMPLE} is absent; the NVD matching tests on real records need ../shared`);

const order = (a: string, b: string) => {
  const r = compareCVersions(a, b);
  return 'order' in r ? r.order : 'unknown';
};

describe('the C library version comparator', () => {
  it.each([
    ['3.6.2', '3.6.3', -1],
    ['3.6.2', '3.6.2', 0],
    ['3.6.10', '3.6.9', 1],
    ['1.2', '1.2.0', 0],
    ['V11.1.0', '11.1.0', 0],
    ['2.28.10', '3.0.0', -1],
    ['0.3.9.8', '0.3.9.10', -1],
    ['3.0.0-rc1', '3.0.0', -1],
    ['3.0.0rc2', '3.0.0-rc1', 1],
    ['3.0.0-beta1', '3.0.0-rc1', -1],
    ['1.0.2k', '1.0.2m', -1],
    ['1.0.2k', '1.0.3', -1],
    ['2.2.0p1', '2.2.0p2', -1],
    ['R0.15', 'r0.14', 1],
  ])('%s against %s is %s', (a, b, expected) => {
    expect(order(a, b)).toBe(expected);
    expect(order(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it.each([
    ['1.0.2k', '1.0.2', /suffixes "k" and "\(none\)"/],
    ['202210.00', '10.4.3', /different numbering schemes/],
    ['R0.15', '0.15', /different schemes/],
    ['git-head', '2.2.0', /not a dotted numeric version/],
  ])('%s against %s cannot be ordered', (a, b, why) => {
    const r = compareCVersions(a, b);
    expect('unknown' in r && r.unknown).toMatch(why);
  });
});

const soup = (text: string) => parseCpe(text);
const crit = (criteria: string, extra: Record<string, unknown> = {}) => ({
  vulnerable: true,
  criteria,
  ...extra,
});

describe('one criterion against one SOUP CPE', () => {
  const mbed = soup('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*');
  it('takes the bounds, each inclusive or exclusive as written', () => {
    const range = (b: Record<string, string>) =>
      matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_tls:*:*:*:*:*:*:*:*', b)).kind;
    expect(range({ versionStartIncluding: '3.0.0', versionEndExcluding: '3.6.3' })).toBe('match');
    expect(range({ versionEndExcluding: '3.6.2' })).toBe('no');
    expect(range({ versionEndIncluding: '3.6.2' })).toBe('match');
    expect(range({ versionStartExcluding: '3.6.2' })).toBe('no');
    expect(range({ versionStartIncluding: '3.6.2' })).toBe('match');
    expect(range({})).toBe('match');
  });

  it('says which criterion and bound decided', () => {
    const v = matchCriterion(
      mbed,
      crit('cpe:2.3:a:trustedfirmware:mbed_tls:*:*:*:*:*:*:*:*', {
        versionStartIncluding: '3.0.0',
        versionEndExcluding: '3.6.3',
      }),
    );
    expect(v).toEqual({
      kind: 'match',
      reason:
        'cpe:2.3:a:trustedfirmware:mbed_tls:*:*:*:*:*:*:*:* versionStartIncluding 3.0.0, versionEndExcluding 3.6.3: 3.6.2 is inside',
    });
  });

  it('ignores vulnerable: false, other vendors and products; "-" matches no release', () => {
    expect(
      matchCriterion(mbed, {
        vulnerable: false,
        criteria: 'cpe:2.3:a:trustedfirmware:mbed_tls:*:*:*:*:*:*:*:*',
      }).kind,
    ).toBe('no');
    expect(matchCriterion(mbed, crit('cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*')).kind).toBe('no');
    expect(matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_crypto:*:*:*:*:*:*:*:*')).kind).toBe(
      'no',
    );
    expect(matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_tls:-:*:*:*:*:*:*:*')).kind).toBe('no');
  });

  it('an exact version matches that version only; wildcards in a criterion are patterns', () => {
    expect(matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*')).kind).toBe(
      'match',
    );
    expect(matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.1:*:*:*:*:*:*:*')).kind).toBe(
      'no',
    );
    expect(matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.*:*:*:*:*:*:*:*')).kind).toBe(
      'match',
    );
    expect(matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_*:3.6.2:*:*:*:*:*:*:*')).kind).toBe(
      'match',
    );
  });

  it('a bound it cannot compare is "could not compare", never "not affected"', () => {
    const lts = soup('cpe:2.3:o:amazon:freertos:202210.00:*:*:*:*:*:*:*');
    const v = matchCriterion(
      lts,
      crit('cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:*', { versionEndExcluding: '10.4.3' }),
    );
    expect(v.kind).toBe('unknown');
    expect(v.kind === 'unknown' && v.reason).toMatch(
      /could not compare 202210\.00 with versionEndExcluding 10\.4\.3/,
    );
    // …but a bound that excludes it for certain still decides.
    const excluded = matchCriterion(
      soup('cpe:2.3:a:acme:lib:1.0.2k:*:*:*:*:*:*:*'),
      crit('cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*', {
        versionStartIncluding: '2.0',
        versionEndExcluding: '1.0.2',
      }),
    );
    expect(excluded.kind).toBe('no');
  });

  it('a criterion attribute the SOUP CPE leaves open is assumed to apply; a different one excludes', () => {
    const v = matchCriterion(mbed, crit('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:linux:*:*'));
    expect(v.kind).toBe('match');
    expect(v.kind === 'match' && v.reason).toMatch(/target_sw is linux; the SOUP CPE does not say/);
    const onRtos = soup('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:freertos:*:*');
    expect(
      matchCriterion(onRtos, crit('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:linux:*:*')).kind,
    ).toBe('no');
  });
});

describe('configurations', () => {
  const firmware = (ops: Partial<NvdCve> = {}): NvdCve => ({
    id: 'CVE-2025-0001',
    lastModified: '2025-01-01T00:00:00.000',
    configurations: [
      {
        operator: 'AND',
        nodes: [
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [crit('cpe:2.3:a:acme:tcpip:*:*:*:*:*:*:*:*', { versionEndExcluding: '2.0' })],
          },
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:h:acme:board_x:-:*:*:*:*:*:*:*' }],
          },
        ],
      },
    ],
    ...ops,
  });

  it('a match in an AND configuration is a conditional finding naming the platform', () => {
    const m = matchCve(firmware(), [soup('cpe:2.3:a:acme:tcpip:1.5:*:*:*:*:*:*:*')]);
    expect(m?.conditional).toMatch(/only when running on or with cpe:2\.3:h:acme:board_x:-/);
    expect(m?.uncertain).toBe(false);
    expect(m?.reasons).toHaveLength(1);
    expect(matchCve(firmware(), [soup('cpe:2.3:a:acme:tcpip:2.0:*:*:*:*:*:*:*')])).toBeUndefined();
    // The hardware criterion (vulnerable: false) itself never makes a finding.
    expect(matchCve(firmware(), [soup('cpe:2.3:h:acme:board_x:1.0:*:*:*:*:*:*:*')])).toBeUndefined();
  });

  it('an unconditional match elsewhere in the CVE makes the finding unconditional', () => {
    const cve = firmware();
    const both: NvdCve = {
      ...cve,
      configurations: [
        ...cve.configurations!,
        {
          nodes: [
            { operator: 'OR', negate: false, cpeMatch: [crit('cpe:2.3:a:acme:tcpip:1.5:*:*:*:*:*:*:*')] },
          ],
        },
      ],
    };
    const m = matchCve(both, [soup('cpe:2.3:a:acme:tcpip:1.5:*:*:*:*:*:*:*')]);
    expect(m?.conditional).toBeUndefined();
    expect(m?.reasons).toHaveLength(2);
  });
});

const README_VERSIONS: { name: string; cpes: string[]; expected: string[] }[] = [
  {
    name: 'Mbed TLS 3.6.2 (both vendors)',
    cpes: [
      'cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*',
      'cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*',
    ],
    expected: MBEDTLS_362_CVES,
  },
  {
    name: 'cJSON 1.7.18 (both vendors)',
    cpes: [
      'cpe:2.3:a:davegamble:cjson:1.7.18:*:*:*:*:*:*:*',
      'cpe:2.3:a:cjson_project:cjson:1.7.18:*:*:*:*:*:*:*',
    ],
    expected: [],
  },
  { name: 'lwIP 2.2.0', cpes: ['cpe:2.3:a:lwip_project:lwip:2.2.0:*:*:*:*:*:*:*'], expected: [] },
  { name: 'FreeRTOS kernel 11.1.0', cpes: ['cpe:2.3:o:amazon:freertos:11.1.0:*:*:*:*:*:*:*'], expected: [] },
  { name: 'zlib 1.3.1', cpes: ['cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*'], expected: [] },
  // The README's notes: the bounds themselves.
  {
    name: 'zlib 1.2.12 (versionEndIncluding)',
    cpes: ['cpe:2.3:a:zlib:zlib:1.2.12:*:*:*:*:*:*:*'],
    expected: ['CVE-2022-37434'],
  },
  {
    name: 'lwIP 2.1.2 (exact version)',
    cpes: ['cpe:2.3:a:lwip_project:lwip:2.1.2:*:*:*:*:*:*:*'],
    expected: ['CVE-2020-22284'],
  },
  {
    name: 'cJSON 1.7.16 and 1.7.17',
    cpes: [
      'cpe:2.3:a:davegamble:cjson:1.7.16:*:*:*:*:*:*:*',
      'cpe:2.3:a:cjson_project:cjson:1.7.17:*:*:*:*:*:*:*',
    ],
    expected: ['CVE-2023-50471', 'CVE-2023-50472', 'CVE-2024-31755'],
  },
  {
    name: 'FreeRTOS 10.4.2',
    cpes: ['cpe:2.3:o:amazon:freertos:10.4.2:*:*:*:*:*:*:*'],
    expected: ['CVE-2021-31571', 'CVE-2021-31572'],
  },
  {
    name: 'Mbed TLS 3.6.2 under arm only (the trap: four CVEs missed)',
    cpes: ['cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*'],
    expected: ['CVE-2025-52496', 'CVE-2025-52497'],
  },
];

describe.skipIf(!present)('the real NVD records against the README table', () => {
  const cves: NvdCve[] = present
    ? JSON.parse(fs.readFileSync(SAMPLE, 'utf8')).vulnerabilities.map((v: { cve: NvdCve }) => v.cve)
    : [];

  it.each(README_VERSIONS)('$name', ({ cpes, expected }) => {
    const parsed = cpes.map((c) => parseCpe(c));
    const found = cves.filter((cve) => matchCve(cve, parsed) !== undefined).map((c) => c.id);
    expect(found.sort()).toEqual(expected);
    for (const cve of cves.filter((c) => expected.includes(c.id))) {
      const m = matchCve(cve, parsed)!;
      expect(m.uncertain, cve.id).toBe(false);
      expect(m.conditional, cve.id).toBeUndefined();
    }
  });

  it('CVE-2025-27809 matches 3.6.2 through the trustedfirmware range, and says so', () => {
    const cve = cves.find((c) => c.id === 'CVE-2025-27809')!;
    const m = matchCve(cve, [
      parseCpe('cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*'),
      parseCpe('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*'),
    ]);
    expect(m?.reasons).toEqual([
      expect.stringMatching(
        /^cpe:2\.3:a:trustedfirmware:mbed_tls:\*(:\*){7} versionStartIncluding 3\.0\.0, versionEndExcluding 3\.6\.3: 3\.6\.2 is inside \[configurations\[0\]\.nodes\[0\]\.cpeMatch\[1\]\]$/,
      ),
    ]);
  });
});
