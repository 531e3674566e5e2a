/** The SOUP commands end to end, as a user runs them: import, advisories, scan, evaluate, SBOM. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, REPO, runCli, starterProject } from './helpers.js';

const LOCKFILE = fs.readFileSync(path.join(REPO, 'test/fixtures/lockfiles/package-lock-v3.json'), 'utf8');

const ADVISORY = {
  schema_version: '1.7.0',
  id: 'x_TEST-0001',
  modified: '2026-11-10T00:00:00Z',
  published: '2026-11-09T00:00:00Z',
  aliases: ['CVE-2099-0001'],
  summary: 'Regular expression denial of service in debug',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'debug', purl: 'pkg:npm/debug' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '4.0.0' }, { fixed: '4.3.5' }] }],
    },
  ],
};

function project() {
  const dir = starterProject({ 'web/package-lock.json': LOCKFILE });
  fs.mkdirSync(path.join(dir, 'advisories'));
  fs.writeFileSync(path.join(dir, 'advisories/x_TEST-0001.json'), JSON.stringify(ADVISORY));
  return dir;
}

describe('dossier soup and sbom commands', () => {
  it('import creates records once, scan fails until the finding is evaluated, sbom describes it', () => {
    const dir = project();
    const imported = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      'web/package-lock.json (package-lock.json v3): 7 components (5 development-only packages skipped; --include-dev imports them); 7 new records',
    );
    const file = path.join(dir, 'records/soup/imported.yaml');
    const first = fs.readFileSync(file, 'utf8');
    expect(first).toContain('purl: pkg:npm/debug@4.3.4');

    // Importing again changes nothing.
    const again = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-21'], dir);
    expect(again.stdout).toContain('0 new records, 0 updates, 0 removals, 7 unchanged');
    expect(fs.readFileSync(file, 'utf8')).toBe(first);

    // Without advisory data, scan says how to get it (exit 2).
    const noData = runCli(['soup', 'scan'], dir);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toContain('dossier advisories import');

    expect(runCli(['advisories', 'import', 'advisories'], dir).code).toBe(0);
    const scan = runCli(['soup', 'scan'], dir);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain(
      'x_TEST-0001 (CVE-2099-0001): Regular expression denial of service in debug',
    );
    expect(scan.stdout).toContain('NOT EVALUATED');
    const debugId = /^(SOUP-\d+) debug 4\.3\.4/m.exec(scan.stdout)![1]!;

    // An evaluation written against the CVE alias covers the finding.
    fs.writeFileSync(
      path.join(dir, 'records/VE-001.md'),
      `---\nid: VE-001\nkind: vulnerability-evaluation\ntitle: debug ReDoS\nsoup: ${debugId}\nadvisory: CVE-2099-0001\nversion: 4.3.4\nstate: not_affected\njustification: vulnerable_code_not_in_execute_path\nreviewer: A. Reviewer\ndate: 2026-11-20\n---\nWe never format user input with debug.\n`,
    );
    const evaluated = runCli(['soup', 'scan', '--format', 'json'], dir);
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      soup: debugId,
      advisory: 'x_TEST-0001',
      needsEvaluation: false,
      evaluation: { id: 'VE-001', state: 'not_affected' },
    });

    // Postmarket: nothing new since this scan.
    const since = runCli(['soup', 'scan', '--since', 'last', '--format', 'json'], dir);
    expect(since.code).toBe(0);
    expect(JSON.parse(since.stdout).findings).toEqual([]);

    // The SBOM names every component with its purl and the evaluation as VEX.
    const sbom = JSON.parse(runCli(['sbom'], dir).stdout);
    expect(sbom.specVersion).toBe('1.6');
    expect(sbom.components.map((c: { purl: string }) => c.purl)).toContain('pkg:npm/debug@4.3.4');
    const vex = JSON.parse(runCli(['sbom', '--vex', 'openvex'], dir).stdout);
    expect(vex.statements[0]).toMatchObject({
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    const spdx = JSON.parse(runCli(['sbom', '--format', 'spdx'], dir).stdout);
    expect(spdx.spdxVersion).toBe('SPDX-2.3');
  });

  it('a version bump is recorded and fails check until evaluated; a lockfile of an unknown version is refused', () => {
    const dir = project();
    runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-20'], dir);
    fs.writeFileSync(path.join(dir, 'web/package-lock.json'), LOCKFILE.replaceAll('4.17.21', '4.17.22'));
    const bump = runCli(['soup', 'import', 'web/package-lock.json', '--date', '2026-11-25'], dir);
    expect(bump.stdout).toMatch(/~ SOUP-\d+ lodash 4\.17\.21 → 4\.17\.22 \(needs evaluation, 7\.4\.1\)/);
    const check = runCli(['check', '--format', 'json'], dir);
    const codes = JSON.parse(check.stdout).diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toContain('soup/version-change-unevaluated');

    fs.writeFileSync(
      path.join(dir, 'web/package-lock.json'),
      JSON.stringify({ name: 'x', lockfileVersion: 99, packages: {} }),
    );
    const refused = runCli(['soup', 'import', 'web/package-lock.json'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/lockfileVersion 99/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it('sbom --release VERSION describes that release: later items and removed SOUP are left out, versions as released', () => {
    type Component = { 'bom-ref': string; version: string; purl?: string };
    const refs = (doc: { components: Component[] }) => doc.components.map((c) => c['bom-ref']);
    const current = JSON.parse(runCli(['sbom', EXAMPLE]).stdout);
    expect(refs(current)).toContain('SOUP-013'); // used only by SI-029, introduced in 1.2.0
    const released = JSON.parse(runCli(['sbom', EXAMPLE, '--release', '1.1.0']).stdout);
    expect(released.metadata.component.version).toBe('1.1.0');
    expect(refs(released)).not.toContain('SOUP-013');
    expect(refs(released)).not.toContain('SOUP-044');
    expect(refs(released)).toContain('SOUP-001');

    const unknown = runCli(['sbom', EXAMPLE, '--release', '9.9.9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no release record has version 9.9.9 (release records: 1.0.0, 1.1.0)');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    const soup = `kind: soup
records:
  - { id: SOUP-001, title: lib-a, version: "1.0.0", purl: pkg:npm/lib-a@1.0.0, removed: { date: 2026-10-05, from: web/package-lock.json } }
  - { id: SOUP-002, title: lib-b, version: "1.0.0", purl: pkg:npm/lib-b@1.0.0, removed: { date: 2026-09-01, from: web/package-lock.json } }
  - id: SOUP-003
    title: lib-c
    version: "2.0.0"
    purl: pkg:npm/lib-c@2.0.0
    hashes: [{ alg: SHA-256, content: ${'b'.repeat(64)} }]
    versionChanges: [{ from: "1.5.0", to: "2.0.0", date: 2026-10-10 }]
  - { id: SOUP-004, title: lib-d, version: "1.0.0", purl: pkg:npm/lib-d@1.0.0 }
`;
    const dir = starterProject({
      'records/soup/libs.yaml': soup,
      'records/architecture/SI-003.md':
        '---\nid: SI-003\ntitle: History\nintroducedIn: "0.2.0"\nitemType: item\npartOf: SI-001\nuses: [SOUP-004]\n---\nTherapy history.\n',
      'records/releases/REL-001.md':
        '---\nid: REL-001\ntitle: Software 0.1.0\nversion: 0.1.0\ndate: 2026-10-01\n---\nFirst release.\n',
    });
    const item = path.join(dir, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      item,
      fs
        .readFileSync(item, 'utf8')
        .replace('contributesTo: [HS-001]', 'contributesTo: [HS-001]\nuses: [SOUP-001, SOUP-002, SOUP-003]'),
    );
    const release = JSON.parse(runCli(['sbom', '.', '--release', '0.1.0'], dir).stdout);
    expect(refs(release)).toEqual(['SOUP-001', 'SOUP-003']);
    const libC = release.components.find((c: Component) => c['bom-ref'] === 'SOUP-003');
    expect(libC).toMatchObject({ version: '1.5.0', purl: 'pkg:npm/lib-c@1.5.0' });
    expect(libC.hashes).toBeUndefined();
    // Without --release: software.version (0.1.0) as the records stand now.
    const now = JSON.parse(runCli(['sbom', '.'], dir).stdout);
    expect(refs(now)).toEqual(['SOUP-003']);
    expect(now.components[0]).toMatchObject({ version: '2.0.0', purl: 'pkg:npm/lib-c@2.0.0' });
  });
});
