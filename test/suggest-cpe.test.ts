/**
 * `dossier soup suggest-cpe`: CPE candidates proposed for people to confirm, from the NVD data's
 * vendor/product pairs (the real NVD sample in ../shared/data) or from heuristics; never written,
 * never matched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdvisories } from '../src/soup/advisories/import.js';
import { type AdvisoryStore, openAdvisoryStore } from '../src/soup/advisories/store.js';
import { cpeVersionFor, suggestCpes } from '../src/soup/cpe/suggest.js';
import { advisorySourcesOf, scanSoup } from '../src/soup/scan.js';
import { makeRecord, runCli, writeProject } from './helpers.js';

const NVD_SAMPLE = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'shared',
  'data',
  'vulnerability-feeds',
  'nvd',
  'cves-sample.json',
);
const hasSample = fs.existsSync(NVD_SAMPLE);
if (!hasSample) console.warn(`SKIPPED (real NVD dictionary): ${NVD_SAMPLE} is absent`);

const mbedtls = makeRecord('SOUP-003', 'soup', {
  version: '3.6.2',
  manufacturer: 'Trusted Firmware project (Linaro)',
  purl: 'pkg:github/Mbed-TLS/mbedtls@v3.6.2',
});
const mbedtlsTitled = { ...mbedtls, title: 'Mbed TLS' };
const freertos = {
  ...makeRecord('SOUP-001', 'soup', {
    version: 'V11.1.0',
    manufacturer: 'Amazon Web Services / FreeRTOS project',
    purl: 'pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0',
  }),
  title: 'FreeRTOS kernel (ARM_CM7 MPU port)',
};
const cjson = {
  ...makeRecord('SOUP-010', 'soup', { version: '1.7.18', purl: 'pkg:github/DaveGamble/cJSON@v1.7.18' }),
  title: 'cJSON',
};
const lwip = {
  ...makeRecord('SOUP-004', 'soup', {
    version: '2.2.0',
    purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_2_0_RELEASE',
  }),
  title: 'lwIP TCP/IP stack',
};

describe('the CPE version', () => {
  it('is the version soup/cpe-version accepts for the record', () => {
    expect(cpeVersionFor(freertos)).toBe('11.1.0');
    expect(cpeVersionFor(lwip)).toBe('2.2.0');
    expect(cpeVersionFor(makeRecord('S', 'soup', { version: '4.3.0 (toolchain 13.2.Rel1)' }))).toBe('4.3.0');
    expect(cpeVersionFor(makeRecord('S', 'soup', { version: 'R0.15' }))).toBe('r0.15');
  });
});

describe.skipIf(!hasSample)('candidates from the NVD data (real sample)', () => {
  let store: AdvisoryStore;
  beforeAll(async () => {
    store = openAdvisoryStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cpe-')), 'db.sqlite'));
    await importAdvisories(store, NVD_SAMPLE);
  });
  afterAll(() => store.close());

  it('proposes every vendor the NVD files the product under, from the title, purl and manufacturer', () => {
    const dictionary = store.nvdProducts();
    expect(dictionary.length).toBeGreaterThan(0);
    const cpes = (soup: typeof mbedtls) => suggestCpes(soup, dictionary).candidates.map((c) => c.cpe);
    expect(cpes(mbedtlsTitled)).toEqual(
      expect.arrayContaining([
        'cpe:2.3:a:arm:mbed_tls:3.6.2:*:*:*:*:*:*:*',
        'cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*',
      ]),
    );
    // The vendor the manufacturer names ranks first.
    expect(cpes(mbedtlsTitled)[0]).toBe('cpe:2.3:a:trustedfirmware:mbed_tls:3.6.2:*:*:*:*:*:*:*');
    expect(cpes(cjson)).toEqual(
      expect.arrayContaining([
        'cpe:2.3:a:davegamble:cjson:1.7.18:*:*:*:*:*:*:*',
        'cpe:2.3:a:cjson_project:cjson:1.7.18:*:*:*:*:*:*:*',
      ]),
    );
    expect(cpes(freertos)[0]).toBe('cpe:2.3:o:amazon:freertos:11.1.0:*:*:*:*:*:*:*');
    expect(cpes(lwip)[0]).toBe('cpe:2.3:a:lwip_project:lwip:2.2.0:*:*:*:*:*:*:*');
    const first = suggestCpes(mbedtlsTitled, dictionary).candidates[0]!;
    expect(first).toMatchObject({ basis: 'nvd-dictionary', inRecord: false });
    expect(first.why).toMatch(
      /^product mbed_tls is .*; vendor trustedfirmware matches (a word of )?the manufacturer/,
    );
    expect(first.cves).toBeGreaterThan(0);
  });

  it('falls back to heuristics, and says so, when no product of the NVD data fits', () => {
    const cube = {
      ...makeRecord('SOUP-002', 'soup', {
        version: 'v1.11.2',
        manufacturer: 'STMicroelectronics',
        purl: 'pkg:github/STMicroelectronics/STM32CubeH7@v1.11.2',
      }),
      title: 'STM32CubeH7 HAL and LL drivers',
    };
    const suggestion = suggestCpes(cube, store.nvdProducts());
    expect(suggestion.candidates.map((c) => [c.cpe, c.basis])).toEqual([
      ['cpe:2.3:a:stmicroelectronics:stm32cubeh7:1.11.2:*:*:*:*:*:*:*', 'heuristic'],
      ['cpe:2.3:a:stm32cubeh7_project:stm32cubeh7:1.11.2:*:*:*:*:*:*:*', 'heuristic'],
    ]);
    expect(suggestion.candidates[0]!.why).toMatch(/no product of the NVD data has this name/);
  });
});

describe('suggestions are never confirmed', () => {
  it('heuristics without a dictionary say there was no NVD data', () => {
    const [first] = suggestCpes(mbedtlsTitled, undefined).candidates;
    expect(first).toMatchObject({ basis: 'heuristic', cves: null });
    expect(first!.why).toMatch(/no NVD data to check it against/);
  });

  it('the CLI prints candidates (text and JSON), writes nothing, and the scan never uses them', () => {
    const soupYaml = `kind: soup
records:
  - id: SOUP-001
    title: Mbed TLS
    status: approved
    manufacturer: Trusted Firmware project (Linaro)
    version: 3.6.2
    purl: pkg:github/Mbed-TLS/mbedtls@v3.6.2
`;
    const dir = writeProject({ 'records/soup.yaml': soupYaml });
    const db = path.join(dir, 'none.sqlite');
    const text = runCli(['soup', 'suggest-cpe', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('NOT CONFIRMED and not written');
    expect(text.stdout).toContain('Dictionary: none (no advisory database)');
    expect(text.stdout).toContain('cpe:2.3:a:mbed-tls:mbedtls:3.6.2:*:*:*:*:*:*:*  [heuristic]');
    const json = runCli(['soup', 'suggest-cpe', dir, '--format', 'json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as {
      confirmed: boolean;
      dictionary: { source: string };
      items: { soup: string; cpe: string[]; candidates: { basis: string }[] }[];
    };
    expect(out.confirmed).toBe(false);
    expect(out.dictionary.source).toBe('heuristic');
    expect(out.items[0]).toMatchObject({ soup: 'SOUP-001', cpe: [] });
    expect(out.items[0]!.candidates.length).toBeGreaterThan(0);
    // Nothing written: the record file is as it was, and the item is still not matched by CPE.
    expect(fs.readFileSync(path.join(dir, 'records/soup.yaml'), 'utf8')).toBe(soupYaml);
    expect(runCli(['soup', 'suggest-cpe', dir, '--advisories', db]).code).toBe(2);
    const record = makeRecord('SOUP-001', 'soup', {
      version: '3.6.2',
      purl: 'pkg:github/Mbed-TLS/mbedtls@v3.6.2',
    });
    expect(advisorySourcesOf(record)).not.toContain('NVD');
    const none = { advisoryData: () => [], findAffecting: () => [], aliasClosure: (id: string) => [id] };
    expect(scanSoup([record], [], none).notScanned).toEqual([]);
  });
});
