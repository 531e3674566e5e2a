/**
 * OSV advisories keyed by git repository (issue 16, section 1): tag normalisation, repository URL
 * normalisation, matching by `versions[]` only (a GIT commit range is never claimed either way),
 * the store's index by repository (and its upgrade from schema 4), and the scan end to end.
 * The records are fictional fixtures in the published OSV format: test/fixtures/osv-git/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { kindSpec } from '../src/model/kinds.js';
import { importAdvisories } from '../src/soup/advisories/import.js';
import {
  ADVISORY_SCHEMA_VERSION,
  type AdvisoryStore,
  openAdvisoryStore,
} from '../src/soup/advisories/store.js';
import { advisoryCoverage } from '../src/soup/coverage.js';
import {
  GIT_SOURCE,
  matchGitRecord,
  normalizeRepoUrl,
  normalizeTag,
  reposOfRecord,
} from '../src/soup/osv/git.js';
import type { OsvRecord } from '../src/soup/osv/types.js';
import {
  advisorySourcesOf,
  gitIdentityOf,
  optionalSourcesOf,
  scanSoup,
  unmatchableWhy,
} from '../src/soup/scan.js';
import { renderScanJson, renderScanText } from '../src/soup/scan-report.js';
import { makeRecord } from './helpers.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'osv-git');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-osv-git-'));
const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as OsvRecord;

describe('tag normalisation', () => {
  it.each([
    ['v3.6.2', '3.6.2'],
    ['V3.6.2', '3.6.2'],
    ['mbedtls-3.6.2', '3.6.2'],
    ['mbedtls-v3.6.2', '3.6.2'],
    ['3_6_2', '3.6.2'],
    ['release-3.6.2', '3.6.2'],
    ['release-v3.1.0', '3.1.0'],
    ['OpenSSL_1_1_1k', '1.1.1k'],
    ['curl-8_5_0', '8.5.0'],
    ['STABLE-2_2_0_RELEASE', '2.2.0'],
    ['TINYTLS_3_6_2_RELEASE', '3.6.2'],
    ['V10.4.3', '10.4.3'],
    ['refs/tags/v1.7.18', '1.7.18'],
    ['3.6.0-rc1', '3.6.0-rc1'],
    ['lib2to3-1.0', '1.0'],
    ['202210.00', '202210.00'],
    ['3.6.2', '3.6.2'],
  ])('%s is version %s', (tag, version) => {
    expect(normalizeTag(tag)).toBe(version);
  });

  it('a tag that names no version is not normalised (only the exact text can match it)', () => {
    expect(normalizeTag('main')).toBeUndefined();
    expect(normalizeTag('FreeRTOSv202212.00')).toBeUndefined();
    expect(normalizeTag('')).toBeUndefined();
  });

  it('does not read a version out of the middle of a dotted version (v3.6.2 is not 6.2)', () => {
    expect(normalizeTag('v3.6.2')).not.toBe('6.2');
  });
});

describe('repository URL normalisation', () => {
  const key = 'github.com/mbed-tls/mbedtls';
  it.each([
    'https://github.com/Mbed-TLS/mbedtls',
    'http://github.com/Mbed-TLS/mbedtls/',
    'https://github.com/Mbed-TLS/mbedtls.git',
    'git://github.com/Mbed-TLS/mbedtls.git',
    'git+https://github.com/Mbed-TLS/mbedtls.git',
    'git+https://github.com/Mbed-TLS/mbedtls.git@v3.6.2',
    'ssh://git@github.com/Mbed-TLS/mbedtls.git',
    'git@github.com:Mbed-TLS/mbedtls.git',
    'HTTPS://WWW.GitHub.com/Mbed-TLS/mbedtls',
    'github.com/Mbed-TLS/mbedtls',
  ])('%s', (url) => {
    expect(normalizeRepoUrl(url)).toBe(key);
  });

  it('keeps the path case on hosts that are not known to ignore it, and drops a port', () => {
    expect(normalizeRepoUrl('https://git.savannah.gnu.org/git/LWIP.git')).toBe(
      'git.savannah.gnu.org/git/LWIP',
    );
    expect(normalizeRepoUrl('ssh://git@gitlab.com:22/Group/Sub/Proj.git')).toBe('gitlab.com/group/sub/proj');
  });

  it('refuses what is not a repository URL', () => {
    for (const url of ['mbedtls', 'ftp://example.com/x', 'https://github.com/', 'not a url', ''])
      expect(normalizeRepoUrl(url), url).toBeUndefined();
  });

  it('indexes a record by every form of its repositories, GIT ranges and packages of ecosystem GIT', () => {
    expect(reposOfRecord(fixture('OSV-2099-101'))).toEqual(['github.com/example-embedded/tinytls']);
    expect(reposOfRecord(fixture('CVE-2099-0102'))).toEqual(['github.com/example-embedded/tinytls']);
    expect(reposOfRecord(fixture('OSV-2099-106'))).toEqual(['github.com/example-embedded/tinytls']);
    expect(reposOfRecord(fixture('OSV-2099-105'))).toEqual(['gitlab.com/example-embedded/otherlib']);
  });
});

describe('matching a version against a repository-keyed record', () => {
  const tinytls = new Set(['github.com/example-embedded/tinytls']);

  it('a listed tag is a match, with the tag that matched as the reason', () => {
    const match = matchGitRecord(fixture('OSV-2099-101'), tinytls, '3.6.2');
    expect(match).toMatchObject({ affected: true, couldNotCompare: false });
    expect(match.reasons).toEqual([
      { kind: 'listed', affected: 0, tag: 'tinytls-3.6.2', normalized: '3.6.2' },
    ]);
    expect(matchGitRecord(fixture('CVE-2099-0102'), tinytls, '3.4.1').reasons).toEqual([
      { kind: 'listed', affected: 0, tag: '3_4_1', normalized: '3.4.1' },
    ]);
    expect(matchGitRecord(fixture('CVE-2099-0102'), tinytls, 'v3.5.0').affected).toBe(true);
  });

  it('a version not among the tags, with only GIT commit ranges, is COULD NOT COMPARE: neither affected nor unaffected', () => {
    const match = matchGitRecord(fixture('CVE-2099-0102'), tinytls, '3.6.2');
    expect(match.affected).toBe(false);
    expect(match.couldNotCompare).toBe(true);
    expect(match.reasons).toEqual([
      {
        kind: 'could-not-compare',
        affected: 0,
        why: '3.6.2 is not among the 3 tags of affected[0].versions, and its GIT range names commits, which cannot be compared with a version without the repository',
      },
    ]);
    // No versions[] at all: the same.
    const open = matchGitRecord(fixture('OSV-2099-103'), tinytls, '3.6.2');
    expect(open).toMatchObject({ affected: false, couldNotCompare: true });
    expect(open.reasons[0]).toMatchObject({ kind: 'could-not-compare' });
  });

  it('a commit in use equal to the introducing commit is a match; any other commit is not compared', () => {
    const record = fixture('OSV-2099-101');
    expect(matchGitRecord(record, tinytls, '4f1c0b2e9d8a')).toMatchObject({
      affected: true,
      reasons: [{ kind: 'commit', event: 'introduced' }],
    });
    expect(matchGitRecord(record, tinytls, 'deadbeefcafe')).toMatchObject({
      affected: false,
      couldNotCompare: true,
    });
  });

  it('a record of another repository says nothing', () => {
    expect(matchGitRecord(fixture('OSV-2099-105'), tinytls, '3.6.2')).toEqual({
      affected: false,
      couldNotCompare: false,
      reasons: [],
    });
  });
});

describe('SOUP identity by repository', () => {
  it('a repository field is a source the item must be checked against; a forge purl alone is optional', () => {
    const explicit = makeRecord('SOUP-001', 'soup', {
      version: '3.6.2',
      repository: 'https://github.com/example-embedded/tinytls',
    });
    expect(gitIdentityOf(explicit)).toEqual({
      repos: ['github.com/example-embedded/tinytls'],
      version: '3.6.2',
      required: true,
    });
    expect(advisorySourcesOf(explicit)).toEqual([GIT_SOURCE]);
    expect(unmatchableWhy(explicit)).toBeUndefined();

    const byPurl = makeRecord('SOUP-002', 'soup', {
      version: '3.6.1',
      purl: 'pkg:github/Example-Embedded/tinytls@v3.6.1',
    });
    expect(gitIdentityOf(byPurl)).toEqual({
      repos: ['github.com/example-embedded/tinytls'],
      version: 'v3.6.1',
      required: false,
    });
    expect(advisorySourcesOf(byPurl)).toEqual([]);
    expect(optionalSourcesOf(byPurl)).toEqual([GIT_SOURCE]);
    expect(unmatchableWhy(byPurl)).toBe('purl type "github" has no OSV ecosystem');

    const vcs = makeRecord('SOUP-003', 'soup', {
      version: '1.0',
      purl: 'pkg:generic/tinytls@1.0?vcs_url=git%2Bhttps://github.com/example-embedded/tinytls.git',
    });
    expect(gitIdentityOf(vcs)).toMatchObject({ repos: ['github.com/example-embedded/tinytls'] });

    expect(gitIdentityOf(makeRecord('SOUP-004', 'soup', { version: '1.0' }))).toEqual({
      why: 'it names no repository',
    });
  });

  it('the soup schema takes a repository URL or a list of them, and refuses what is not one', () => {
    const repository = kindSpec('soup').fields.repository as unknown as {
      safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } };
    };
    expect(repository.safeParse('https://github.com/Mbed-TLS/mbedtls').success).toBe(true);
    expect(
      repository.safeParse(['https://github.com/Mbed-TLS/mbedtls', 'https://github.com/ARMmbed/mbedtls'])
        .success,
    ).toBe(true);
    const bad = repository.safeParse(['https://github.com/Mbed-TLS/mbedtls', 'mbedtls']);
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/"mbedtls" is not a repository URL/);
    expect(repository.safeParse([]).success).toBe(false);
  });
});

describe('the store and the scan, end to end', () => {
  let dir: string;
  let store: AdvisoryStore;
  beforeAll(async () => {
    dir = tmp();
    store = openAdvisoryStore(path.join(dir, 'db.sqlite'));
    const summary = await importAdvisories(store, FIXTURES);
    expect(summary.invalid).toEqual([]);
    expect(summary.ecosystems.map((e) => [e.ecosystem, e.records, e.comparator])).toEqual([
      ['GIT', 6, true],
      ['OSS-Fuzz', 3, true],
    ]);
  });

  const soup = (id: string, fields: Record<string, unknown>) => makeRecord(id, 'soup', fields);
  const tinytls = soup('SOUP-001', {
    version: '3.6.2',
    repository: ['git@github.com:example-embedded/tinytls.git', 'https://github.com/ARMmbed/old-tinytls'],
  });

  it('keeps GIT-only advisories and finds them by repository, however the URL is written', () => {
    const ids = (repos: string[]) => store.findGitAffecting(repos).map((r) => r.id);
    expect(ids(['github.com/example-embedded/tinytls'])).toEqual([
      'CVE-2099-0102',
      'OSV-2099-101',
      'OSV-2099-103',
      'OSV-2099-106',
    ]);
    expect(store.withdrawnForRepos(['github.com/example-embedded/tinytls']).map((r) => r.id)).toEqual([
      'OSV-2099-104',
    ]);
    expect(ids(['gitlab.com/example-embedded/otherlib'])).toEqual(['OSV-2099-105']);
    const git = store.advisoryData().find((d) => d.ecosystem === GIT_SOURCE);
    expect(git).toEqual({
      ecosystem: 'GIT',
      advisories: 6,
      withdrawn: 1,
      newestModified: '2099-06-15T00:00:00Z',
      basis: 'modified',
    });
    // The package of ecosystem GIT is not a second "GIT" ecosystem.
    expect(store.advisoryData().filter((d) => d.ecosystem === GIT_SOURCE)).toHaveLength(1);
    expect(store.status().ecosystems.filter((e) => e.ecosystem === GIT_SOURCE)).toHaveLength(1);
  });

  it('reports listed tags as findings, and GIT-range-only records as COULD NOT COMPARE, never as unaffected', () => {
    const scan = scanSoup([tinytls], [], store);
    expect(scan.notScanned).toEqual([]);
    expect(scan.unmatchable).toEqual([]);
    expect(scan.scanned).toBe(1);
    expect(scan.withdrawn).toEqual([
      { soupId: 'SOUP-001', advisory: 'OSV-2099-104', withdrawn: '2099-02-01T00:00:00Z' },
    ]);
    expect(scan.findings.map((f) => [f.advisory, f.ecosystem, f.reasons])).toEqual([
      [
        'CVE-2099-0102',
        'GIT',
        [
          'COULD NOT COMPARE, assumed affected until reviewed: 3.6.2 is not among the 3 tags of affected[0].versions, and its GIT range names commits, which cannot be compared with a version without the repository',
        ],
      ],
      ['OSV-2099-101', 'GIT', ['tag tinytls-3.6.2 in affected[0].versions is version 3.6.2']],
      [
        'OSV-2099-103',
        'GIT',
        [
          'COULD NOT COMPARE, assumed affected until reviewed: affected[0] lists no tags in versions, and its GIT range names commits, which cannot be compared with a version without the repository',
        ],
      ],
      ['OSV-2099-106', 'GIT', ['tag TINYTLS_3_6_2_RELEASE in affected[0].versions is version 3.6.2']],
    ]);
    const finding = scan.findings[0]!;
    expect(finding).toMatchObject({
      packageName: 'github.com/armmbed/old-tinytls, github.com/example-embedded/tinytls',
      version: '3.6.2',
      severity: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'],
    });
  });

  it('an older version listed under another tag style matches through it; evaluations pair by id', () => {
    const old = soup('SOUP-002', {
      version: '3.4.1',
      repository: 'https://github.com/Example-Embedded/tinytls',
    });
    const evaluation = makeRecord(
      'VE-001',
      'vulnerability-evaluation',
      { advisory: 'CVE-2099-0102', version: '3.4.1', state: 'not_affected', date: '2099-07-01' },
      { soup: ['SOUP-002'] },
    );
    const scan = scanSoup([old], [evaluation], store);
    const cve = scan.findings.find((f) => f.advisory === 'CVE-2099-0102')!;
    expect(cve.reasons).toEqual(['tag 3_4_1 in affected[0].versions is version 3.4.1']);
    expect(cve.evaluation?.id).toBe('VE-001');
  });

  it('a pkg:github purl is matched when GIT data is loaded, and said "not checked (optional)" when it is not', () => {
    const byPurl = soup('SOUP-003', { version: '3.6.1', purl: 'pkg:github/Example-Embedded/tinytls@v3.6.1' });
    const scan = scanSoup([byPurl], [], store);
    const listed = scan.findings.find((f) => f.advisory === 'OSV-2099-101')!;
    expect(listed.reasons).toEqual(['v3.6.1 is listed in affected[0].versions']);
    // No GIT data: not a failure for an item that does not ask for it, but said per item.
    const none = { advisoryData: () => [], findAffecting: () => [], aliasClosure: (id: string) => [id] };
    const without = scanSoup([byPurl, tinytls], [], none);
    expect(without.notScanned).toEqual([{ soupId: 'SOUP-001', ecosystem: 'GIT' }]);
    expect(without.notScannedOptional).toEqual([{ soupId: 'SOUP-003', ecosystem: 'GIT' }]);
    expect(without.unmatchable.map((u) => u.soupId)).toEqual(['SOUP-003']);
    const input = { scan: without, classes: new Map(), titles: new Map(), snapshots: [] };
    const text = renderScanText(input);
    expect(text).toContain(
      'NOT CHECKED: 1 SOUP item with a repository not scanned: no OSV advisories keyed by git repository (GIT) (SOUP-001)',
    );
    expect(text).toMatch(/not checked \(optional\): 1 SOUP item with a repository purl \(SOUP-003\)/);
    const json = JSON.parse(renderScanJson(input)) as Record<string, unknown>;
    expect(json.notScannedOptional).toEqual([{ soup: 'SOUP-003', source: 'GIT' }]);
    expect(json.notScanned).toEqual([
      { ecosystem: 'GIT', soup: ['SOUP-001'], reason: 'no GIT advisory data' },
    ]);
  });

  it('a CVE found through the NVD and through its OSV GIT record is one finding, with both reasons', () => {
    const both = soup('SOUP-005', {
      version: '3.6.2',
      cpe: 'cpe:2.3:a:example:tinytls:3.6.2:*:*:*:*:*:*:*',
      repository: 'https://github.com/example-embedded/tinytls',
    });
    const cve = {
      id: 'CVE-2099-0102',
      lastModified: '2099-04-10T08:30:00Z',
      severity: [],
      cve: {
        id: 'CVE-2099-0102',
        lastModified: '2099-04-10T08:30:00Z',
        configurations: [
          {
            nodes: [
              {
                operator: 'OR' as const,
                negate: false,
                cpeMatch: [
                  {
                    vulnerable: true,
                    criteria: 'cpe:2.3:a:example:tinytls:*:*:*:*:*:*:*:*',
                    versionEndExcluding: '3.7.0',
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const source = {
      advisoryData: () => [
        ...store.advisoryData(),
        {
          ecosystem: 'NVD',
          advisories: 1,
          withdrawn: 0,
          newestModified: '2099-04-10T08:30:00Z',
          basis: 'modified' as const,
        },
      ],
      findAffecting: () => [],
      aliasClosure: (id: string) => [id],
      findCves: () => [cve],
      findGitAffecting: (repos: readonly string[]) => store.findGitAffecting(repos),
    };
    const scan = scanSoup([both], [], source);
    const found = scan.findings.filter((f) => f.advisory === 'CVE-2099-0102');
    expect(found).toHaveLength(1);
    expect(found[0]!.ecosystem).toBe('NVD');
    expect(found[0]!.reasons[0]).toMatch(/versionEndExcluding 3\.7\.0/);
    expect(found[0]!.reasons[1]).toMatch(/^OSV \(by repository\): COULD NOT COMPARE/);
    expect(advisorySourcesOf(both)).toEqual(['NVD', 'GIT']);
  });

  it('coverage lists a SOUP item with a repository under GIT, with or without data', () => {
    expect(advisoryCoverage([tinytls], [])).toEqual([{ ecosystem: 'GIT', soupIds: ['SOUP-001'] }]);
    expect(
      advisoryCoverage([tinytls], store.advisoryData()).map((c) => [
        c.ecosystem,
        c.soupIds,
        c.data !== undefined,
      ]),
    ).toEqual([
      ['GIT', ['SOUP-001'], true],
      ['OSS-Fuzz', [], true],
    ]);
  });

  it('a schema 4 store holding GIT-only advisories reads as "no GIT data", and is indexed when upgraded', async () => {
    const file = path.join(tmp(), 'v4.sqlite');
    const fresh = openAdvisoryStore(file);
    await importAdvisories(fresh, FIXTURES);
    fresh.close();
    const raw = new Database(file);
    raw.exec('DROP TABLE git_affected;');
    raw.pragma('user_version = 4');
    raw.close();

    const readonly = openAdvisoryStore(file, { readonly: true });
    expect(readonly.advisoryData().find((d) => d.ecosystem === GIT_SOURCE)).toBeUndefined();
    const before = scanSoup([tinytls], [], readonly);
    expect(before.findings).toEqual([]);
    expect(before.notScanned).toEqual([{ soupId: 'SOUP-001', ecosystem: 'GIT' }]);
    readonly.close();

    openAdvisoryStore(file).close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(ADVISORY_SCHEMA_VERSION);
    check.close();
    const upgraded = openAdvisoryStore(file, { readonly: true });
    expect(scanSoup([tinytls], [], upgraded).findings.map((f) => f.advisory)).toEqual([
      'CVE-2099-0102',
      'OSV-2099-101',
      'OSV-2099-103',
      'OSV-2099-106',
    ]);
    upgraded.close();
  });
});
