/**
 * The documents of the submission group (docs/documents.md): the SOUP List, the SBOM and
 * vulnerability assessment summary, the Documentation Level Evaluation, the Software Description,
 * the Level of Concern statement and the draft Declaration of Conformity to IEC 62304. Expected
 * content is read from the records and dossier.yaml as written, not from the builders' helpers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyze } from '../src/analyze.js';
import { SOUP_FILES, soupStage } from '../src/build/soup-stage.js';
import { documentContext } from '../src/docs/context.js';
import { DOCUMENTS, documentsFor } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { isActive } from '../src/model/record.js';
import { buildDocument, DOC_DATE } from './document-helpers.js';
import { EXAMPLE, REPO, runCli, starterProject, writeProject } from './helpers.js';

const EPOCH = { SOURCE_DATE_EPOCH: '1796083200' }; // 2026-12-01

const KEYS = ['SOUP', 'SBOM', 'DLE', 'DESCRIPTION', 'DOC'];

/** Every document of the group from one load and analysis of `dir` (the example is slow to analyse). */
function buildAll(dir: string, baseline?: string) {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error(`the project in ${dir} did not load`);
  const analysis = analyze(loaded.project, { today: DOC_DATE });
  const context = documentContext(analysis, { date: DOC_DATE, ...(baseline ? { baseline } : {}) });
  const docs = new Map(
    KEYS.map((key) => {
      const doc = DOCUMENTS.find((d) => d.key === key)!.build(context);
      return [key, { doc, markdown: renderMarkdown(doc), analysis, context }] as const;
    }),
  );
  return (key: string) => docs.get(key)!;
}

let exampleDocs: ReturnType<typeof buildAll> | undefined;
/** A document of the example, built once for the whole file. */
const example = (key: string) => {
  exampleDocs ??= buildAll(EXAMPLE);
  return exampleDocs(key);
};

const SI2 = 'records/architecture/SI-002.md';
const starterSi2 = () => fs.readFileSync(path.join(starterProject(), SI2), 'utf8');
const starterConfig = () => fs.readFileSync(path.join(starterProject(), 'dossier.yaml'), 'utf8');

/** A SOUP record as a collection entry; `fields` replace or (with undefined) remove its lines. */
function soupYaml(fields: Record<string, string | undefined> = {}): string {
  const base: Record<string, string | undefined> = {
    id: 'SOUP-001',
    title: 'Ring buffer library',
    manufacturer: 'Example Labs',
    version: '10.19.3',
    purl: 'pkg:npm/preact@10.19.3',
    requirements: 'Lock-free ring buffer of 64 entries, push and pop in under 2 us.',
    systemRequirements: 'C11 compiler; 4 KB RAM.',
    anomalyReview:
      '\n      date: 2026-11-01\n      reviewer: A. Reviewer\n      conclusion: Reviewed the issue tracker for 10.19.3; no anomaly affects our use.\n      coversVulnerabilities: true\n      sources: [issue tracker 10.19.3]',
    supportLevel: 'actively-maintained',
    endOfSupport: '2028-12-31',
    ...fields,
  };
  const lines = Object.entries(base)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v.startsWith('\n') ? v : JSON.stringify(v)}`);
  return `kind: soup\nrecords:\n${lines.join('\n')}\n`;
}

/** The starter project with one SOUP item used by SI-002. */
function withSoup(fields: Record<string, string | undefined> = {}, extra: Record<string, string> = {}) {
  return starterProject({
    'records/soup.yaml': soupYaml(fields),
    [SI2]: starterSi2().replace('partOf: SI-001\n', 'partOf: SI-001\nuses: [SOUP-001]\n'),
    ...extra,
  });
}

describe('the SOUP List', () => {
  it('lists every SOUP item of the example with its identification, requirements and the items that use it', {
    timeout: 300_000,
  }, () => {
    const { markdown, analysis, doc } = example('SOUP');
    const { graph } = analysis;
    const soups = graph.ofKind('soup').filter((s) => isActive(s) && s.fields.removed === undefined);
    expect(soups.length).toBeGreaterThan(40);
    for (const s of soups) {
      expect(markdown, s.id).toMatch(new RegExp(`^### <a id="${s.id}"></a>3\\.\\d+ ${s.id} `, 'm'));
      expect(markdown).toContain(`| Version (8.1.2 c) | ${String(s.fields.version)} |`);
      // Record text as written (the renderer writes `<` as `&lt;` outside code).
      const asWritten = (text: unknown) => String(text).trim().replace(/</g, '&lt;');
      expect(markdown).toContain(asWritten(s.fields.requirements));
      expect(markdown).toContain(asWritten(s.fields.systemRequirements));
      expect(markdown).toContain(asWritten((s.fields.anomalyReview as { conclusion: string }).conclusion));
      expect(doc.records).toContain(s.id);
      // The items that name it in `uses` are listed at it.
      const users = graph
        .ofKind('software-item')
        .filter((i) => isActive(i) && (i.links.uses ?? []).includes(s.id))
        .map((i) => i.id);
      const usedBy = new RegExp(
        `^### <a id="${s.id}"></a>[\\s\\S]*?\\| Used by \\(5\\.3\\.1\\) \\| ([^\\n]*) \\|`,
        'm',
      ).exec(markdown)![1]!;
      for (const user of users) expect(usedBy, `${s.id} used by ${user}`).toContain(user);
    }
    // FreeRTOS's failure is a recorded cause of HS-015 (SI-023, category soup).
    expect(markdown).toMatch(
      /3\.1 SOUP-001[\s\S]*?\| Named as a cause in the risk analysis \(7\.1\.2 c\) \| [^\n]*HS-015/,
    );
  });

  it('says what a SOUP record does not record, with its clause, instead of leaving it out', () => {
    const full = buildDocument(withSoup(), 'SOUP').markdown;
    expect(full).not.toContain('Not recorded');
    const missing = buildDocument(
      withSoup({
        manufacturer: undefined,
        requirements: undefined,
        anomalyReview: undefined,
        endOfSupport: undefined,
      }),
      'SOUP',
    ).markdown;
    expect(missing).toContain(
      '> **Not recorded:** the manufacturer (supplier, vendor or open-source project) of SOUP-001 (8.1.2 b)',
    );
    expect(missing).toContain(
      '> **Not recorded:** the functional and performance requirements SOUP-001 must meet for its use in the device (5.3.3)',
    );
    expect(missing).toContain(
      '> **Not recorded:** a review of the published anomaly list of SOUP-001 10.19.3 (7.1.3)',
    );
    expect(missing).toContain(
      '> **Not recorded:** the end-of-support date of SOUP-001 (FDA cybersecurity guidance)',
    );
    expect(missing).toContain('| Manufacturer (8.1.2 b) | **not recorded** |');
    // Recorded as unknown is not "not recorded".
    const unknown = buildDocument(withSoup({ supportLevel: 'unknown' }), 'SOUP').markdown;
    expect(unknown).toContain('| Level of support (FDA) | **unknown** |');
    expect(unknown).not.toContain('level of support of SOUP-001');
  });

  it('says a project without SOUP records none, and is the same bytes twice', () => {
    const { markdown } = buildDocument(starterProject(), 'SOUP');
    expect(markdown).toContain('> **Not recorded:** any SOUP item in software version 0.1.0');
  });

  it('changes revision when a SOUP record changes', () => {
    const a = buildDocument(withSoup(), 'SOUP').doc.control.revision;
    const b = buildDocument(withSoup({ systemRequirements: 'C11 compiler; 8 KB RAM.' }), 'SOUP').doc.control
      .revision;
    expect(a).not.toBe(b);
  });
});

describe('the SBOM and vulnerability assessment summary', () => {
  it('points to the SBOM files the soup stage writes, by the paths it writes them to', () => {
    const { markdown, analysis } = example('SBOM');
    const written = soupStage(analysis, {
      displayRoot: 'out',
      timestamp: `${DOC_DATE}T00:00:00Z`,
    }).artifacts.map((a) => a.path);
    for (const file of [SOUP_FILES.cycloneDx, SOUP_FILES.spdx, SOUP_FILES.vexCycloneDx, SOUP_FILES.openVex]) {
      expect(written).toContain(file);
      expect(markdown).toContain(`| \`${file}\` |`);
    }
  });

  it('never shows SOUP that was not scanned as free of vulnerabilities', () => {
    const { markdown, analysis } = example('SBOM');
    const cargo = analysis.graph.ofKind('soup').filter((s) => String(s.fields.purl).startsWith('pkg:cargo/'));
    expect(markdown).toContain(
      `| crates.io | ${cargo.length} | **none loaded** | **NOT SCANNED: no advisory data** |`,
    );
    expect(markdown).toContain(
      '> **Not recorded:** advisory data: none was loaded when this document was built',
    );
    expect(markdown).toContain('- **No advisory data was loaded: no component was scanned.**');
    expect(markdown).not.toMatch(/^None: every component was scanned/m);
    for (const s of cargo)
      expect(markdown).toMatch(new RegExp(`^\\| ${s.id} .*\\| \\*\\*NOT SCANNED\\*\\* \\|$`, 'm'));
    // Every recorded evaluation of a component is there with its VEX status as written.
    for (const e of analysis.graph.ofKind('vulnerability-evaluation').filter(isActive)) {
      expect(markdown).toContain(`#### <a id="${e.id}"></a>${e.id} `);
      expect(markdown).toContain(`| VEX status | **${String(e.fields.state).replace('_', ' ')}**`);
    }
  });

  it('flags an advisory without evaluation, and shows its VEX status once evaluated (dossier docs build with advisory data)', () => {
    const advisory = path.join(EXAMPLE, 'advisories/npm/x_SP200-NPM-2026-0001.json');
    const run = (dir: string) => {
      const db = path.join(dir, '.dossier/advisories.sqlite');
      expect(runCli(['advisories', 'import', advisory, '--db', db]).code).toBe(0);
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-sbom-'));
      const r = runCli(['docs', 'build', dir, '--only', 'SBOM', '--format', 'md', '--out', out], REPO, EPOCH);
      expect(r.code, r.stderr).toBe(0);
      return fs.readFileSync(path.join(out, 'SBOM.md'), 'utf8');
    };
    const open = run(withSoup());
    expect(open).toMatch(/^\| npm \| 1 \| 1 advisory, newest 2026-11-12 \| scanned; data \d+ days old \|$/m);
    expect(open).toMatch(
      /^\| x\\_SP200-NPM-2026-0001 \| SOUP-001 10\.19\.3 \| .* \| \*\*NOT EVALUATED\*\* \| \*\*none\*\* \|$/m,
    );
    expect(open).toContain(
      '> **Not recorded:** a current evaluation of 1 advisory affecting SOUP in use: x\\_SP200-NPM-2026-0001 (SOUP-001)',
    );
    const evaluated = run(
      withSoup(
        {},
        {
          'records/soup/VE-001.md':
            '---\nid: VE-001\ntitle: Not reachable\nsoup: SOUP-001\nadvisory: x_SP200-NPM-2026-0001\nversion: 10.19.3\nstate: not_affected\njustification: vulnerable_code_not_present\nreviewer: A. Reviewer\ndate: 2026-11-20\n---\nThe keyed child path is not used.\n',
        },
      ),
    );
    expect(evaluated).toMatch(
      /^\| x\\_SP200-NPM-2026-0001 \| SOUP-001 10\.19\.3 \| .* \| \[VE-001\]\(#VE-001\) \| not affected \|$/m,
    );
    expect(evaluated).not.toContain('a current evaluation of');
    expect(evaluated).toContain('The keyed child path is not used.');
  });
});

describe('the Documentation Level Evaluation', () => {
  it('states the example level and the hazardous situations it rests on, as the risk records give them', () => {
    const { markdown, analysis } = example('DLE');
    expect(markdown).toContain('Documentation level: **Enhanced**');
    const risk = analysis.project.config.risk!;
    const contributing = new Set(
      analysis.graph
        .ofKind('software-item')
        .filter(isActive)
        .flatMap((i) => [
          ...(i.links.contributesTo ?? []),
          ...((i.fields.causes as { situation: string }[] | undefined) ?? []).map((c) => c.situation),
        ]),
    );
    let probable = 0;
    for (const hs of analysis.graph.ofKind('hazardous-situation').filter(isActive)) {
      if (!contributing.has(hs.id)) continue;
      const severity = risk.severity.find((s) => s.key === hs.fields.severity)!;
      const p2 = String(hs.fields.p2 ?? 'frequent'); // no P2: harm taken as certain
      const index = risk.probability.findIndex((p) => p.key === p2);
      const yes = severity.serious && index >= 1;
      if (yes) probable++;
      const label = risk.probability[index]!.label;
      expect(markdown, hs.id).toMatch(
        new RegExp(
          `^\\| ${hs.id} \\| .* \\| ${severity.label} \\| ${label} \\| ${yes ? '\\*\\*yes\\*\\*' : 'no'} \\| `,
          'm',
        ),
      );
    }
    expect(markdown).toContain(`in ${probable} cases`);
    expect(markdown).toContain('| Class of the system | C as computed; declared C |');
  });

  it('is Basic for a class A starter, and says what the risk records and dossier.yaml do not', () => {
    const files = starterFiles({ name: 'Lamp', manufacturer: 'Test Co', safetyClass: 'A' });
    const basic = buildDocument(writeProject(files, false), 'DLE').markdown;
    expect(basic).toContain('Documentation level: **Basic**');
    expect(basic).toMatch(/^\| HS-001 \| .* \| Minor \| Remote \| no \| SI-002 \|$/m);
    const unestimated = buildDocument(
      writeProject(
        {
          ...files,
          'records/risk/hazardous-situations.yaml': files['records/risk/hazardous-situations.yaml']!.replace(
            /^ {4}severity: .*\n/m,
            '',
          ),
          'dossier.yaml': files['dossier.yaml']!.replace(/^ {2}deviceClass: .*\n/m, ''),
        },
        false,
      ),
      'DLE',
    ).markdown;
    expect(unestimated).toContain('Documentation level: **Enhanced**');
    expect(unestimated).toMatch(
      /^\| HS-001 \| .* \| \*\*not recorded\*\* \| \*\*not estimated\*\* \| \*\*cannot be ruled out\*\* \|/m,
    );
    expect(unestimated).toContain(
      '> **Not recorded:** a risk estimate (severity, and P2 or the probability of harm) for HS-001',
    );
    expect(unestimated).toContain(
      '> **Not recorded:** the FDA device class (device.deviceClass in dossier.yaml)',
    );
  });
});

describe('the Software Description', () => {
  it('describes the example from dossier.yaml and the records', () => {
    const { markdown, analysis } = example('DESCRIPTION');
    const config = parse(fs.readFileSync(path.join(EXAMPLE, 'dossier.yaml'), 'utf8'));
    expect(markdown).toContain(String(config.device.intendedUse).trim());
    const system = analysis.graph.get(config.software.system)!;
    expect(markdown).toContain(String(system.fields.interfaces).trim());
    const parts = analysis.graph
      .ofKind('software-item')
      .filter((i) => isActive(i) && i.links.partOf?.[0] === system.id);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(markdown).toContain(`| ${p.id} | ${p.title} |`);
    for (const r of analysis.graph.ofKind('release'))
      expect(markdown).toContain(`| ${r.id} | ${String(r.fields.version)} |`);
    expect(markdown).toContain(
      '| Languages, by the file types the source globs name | C (.c); C or C++ (headers) (.h) |',
    );
    expect(markdown).toContain(
      '> **Not recorded:** whether the software uses artificial intelligence or machine learning',
    );
  });

  it('says the intended use and the interfaces are not recorded when they are not', () => {
    const dir = starterProject({
      'dossier.yaml': starterConfig().replace(/ {2}intendedUse: >\n.*\n/, ''),
      'records/architecture/SI-001.md': fs
        .readFileSync(path.join(starterProject(), 'records/architecture/SI-001.md'), 'utf8')
        .replace(/^interfaces: .*\n/m, ''),
    });
    const { markdown } = buildDocument(dir, 'DESCRIPTION');
    expect(markdown).toContain(
      '> **Not recorded:** the intended use of the device (device.intendedUse in dossier.yaml)',
    );
    expect(markdown).toContain(
      '> **Not recorded:** the hardware the software runs on and its external interfaces',
    );
  });
});

describe('the Level of Concern statement', () => {
  it('is written only when dossier.yaml answers the legacy questionnaire', () => {
    expect(documentsFor(example('SOUP').context).map((d) => d.key)).not.toContain('LOC');
    expect(() => buildDocument(starterProject(), 'LOC')).toThrow(/no document LOC/);
  });

  it('states the level the questionnaire gives, with the answers', () => {
    const answers = (minor: boolean, death: boolean) =>
      `levelOfConcern:\n  bloodEstablishmentSoftware: false\n  combinationWithDrugOrBiologic: false\n  accessoryToMajorDevice: false\n  failureCouldCauseDeathOrSeriousInjury: ${death}\n  accessoryToModerateDevice: false\n  failureCouldCauseMinorInjury: ${minor}\n`;
    const moderate = buildDocument(
      starterProject({ 'dossier.yaml': starterConfig() + answers(true, false) }),
      'LOC',
    ).markdown;
    expect(moderate).toContain('**Moderate level of concern**');
    expect(moderate).toMatch(
      /^\| Could a malfunction or latent design flaw.* \| Moderate \| \*\*yes\*\* \|$/m,
    );
    expect(moderate).not.toContain('Not recorded');
    const major = buildDocument(
      starterProject({ 'dossier.yaml': starterConfig() + answers(false, true) }),
      'LOC',
    ).markdown;
    expect(major).toContain('**Major level of concern**');
  });
});

describe('the draft Declaration of Conformity', () => {
  it('is a draft with explicit blanks, listing every applicable clause with what the gap scan found', () => {
    const { markdown, context } = example('DOC');
    expect(markdown).toContain('**DRAFT for the manufacturer to complete.**');
    expect(markdown).toContain('it neither declares nor certifies conformity');
    for (const blank of ['Signature', 'Name', 'Date', 'Place', 'Function'])
      expect(markdown).toMatch(
        new RegExp(`^\\| ${blank} \\| (?:\\\\_){10,} \\*\\*\\(to (complete|sign)[^)]*\\)\\*\\* \\|$`, 'm'),
      );
    const scan = context.gapScan();
    const statusText = {
      'evidence-found': 'evidence found',
      partial: '**partial**',
      'no-evidence': '**no evidence**',
    };
    for (const c of scan.clauses) {
      if (c.applies)
        expect(markdown, c.clause).toMatch(
          new RegExp(
            `^\\| ${c.clause.replace(/\./g, '\\.')} \\| .* \\| ${statusText[c.status as keyof typeof statusText].replace(/\*/g, '\\*')}`,
            'm',
          ),
        );
      else expect(markdown).toContain(`| ${c.clause} |`);
    }
    // The example's gap scan judges 1.1.0 (the latest release), the declaration names 1.2.0: said.
    expect(markdown).toContain('**The gap scan judged version 1.1.0, not 1.2.0.**');
    expect(buildDocument(EXAMPLE, 'DOC', '1.1.0').markdown).not.toContain('The gap scan judged');
  });
});

describe('every document of the group', () => {
  it('is the same bytes for the same records', { timeout: 300_000 }, () => {
    const again = buildAll(EXAMPLE);
    for (const key of KEYS) expect(again(key).markdown, key).toBe(example(key).markdown);
  });

  it('writes titles as text: markup in a record title never becomes Markdown or HTML', () => {
    const evil = '<script>alert(1)</script> | *bold* ]]>';
    // In headings every Markdown character is escaped; in table cells (render-markdown.ts) HTML and
    // pipes are, which is what this checks there.
    const inHeading = '&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* \\]\\]&gt;';
    const inCell = '&lt;script&gt;alert(1)&lt;/script&gt; \\| ';
    const dir = withSoup(
      { title: evil },
      {
        [SI2]: starterSi2()
          .replace('partOf: SI-001\n', 'partOf: SI-001\nuses: [SOUP-001]\n')
          .replace(/^title: .*$/m, `title: ${JSON.stringify(evil)}`),
        'records/risk/hazardous-situations.yaml': fs
          .readFileSync(path.join(starterProject(), 'records/risk/hazardous-situations.yaml'), 'utf8')
          .replace(/^ {4}title: .*$/m, `    title: ${JSON.stringify(evil)}`),
      },
    );
    for (const key of ['SOUP', 'SBOM', 'DLE', 'DESCRIPTION']) {
      const { markdown } = buildDocument(dir, key);
      expect(markdown, key).not.toMatch(/<script/);
      expect(markdown, key).toContain(inCell);
      if (key === 'SOUP') expect(markdown).toContain(`3.1 SOUP-001 ${inHeading}`);
    }
  });

  it('are written by dossier docs build', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-docs-'));
    const r = runCli(
      ['docs', 'build', EXAMPLE, '--only', KEYS.join(','), '--format', 'md', '--out', out],
      REPO,
      EPOCH,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(KEYS.map((k) => `${k}.md`).sort());
  });
});
