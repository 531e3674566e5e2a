/**
 * The documents that plan and arrange the package (docs/documents.md): one document per plan
 * record, the gap report, the submission index in the order of the FDA 2023 documentation elements
 * at the computed level, and the eSTAR attachment map. Expectations come from the raw records and
 * data files, not from the builders' helpers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import { documentsFor } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { isActive } from '../src/model/record.js';
import { DOC_DATE } from './document-helpers.js';
import { EXAMPLE, REPO, runCli, withCyberDevice, writeProject } from './helpers.js';

const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(REPO, rel), 'utf8'));
const PLAN_DATA = readJson('data/plan-sections.json').planTypes as Record<
  string,
  {
    documentKey: string;
    clause: string;
    classes: string[];
    sections: { key: string; clause: string; title: string; classes: string[] }[];
  }
>;
const ELEMENTS = readJson('data/fda-2023-documentation-elements.json');
const ESTAR_DATA = readJson('data/estar-attachments.json');
/** The eSTAR cybersecurity type the cybersecurity management plan answers. */
const CSMP_TYPE: string = ESTAR_DATA.cybersecurity.find((r: { documents: { plan?: string }[] }) =>
  r.documents.some((d) => d.plan === 'cybersecurity'),
).type;

/** A fresh `dossier init --class <cls>` project, some files replaced (empty content: removed). */
function initProject(cls: 'A' | 'B' | 'C', overrides: Record<string, string> = {}): string {
  const files: Record<string, string> = {
    ...starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: cls }),
    ...overrides,
  };
  for (const [k, v] of Object.entries(files)) if (v === '') delete files[k];
  return writeProject(files, false);
}

/**
 * The package of a project, loaded and analysed once (loading the example takes seconds): the keys
 * of its documents, and each document's model and Markdown, built once.
 */
function packageOf(dir: string) {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error(`the project in ${dir} did not load`);
  const analysis = analyze(loaded.project, { today: DOC_DATE });
  const context = documentContext(analysis, { date: DOC_DATE });
  const pkg = documentsFor(context);
  const entry = (key: string) => {
    const found = pkg.find((d) => d.key === key);
    if (!found) throw new Error(`no document ${key} in the package of ${dir}`);
    return found;
  };
  return {
    analysis,
    context,
    keys: pkg.map((d) => d.key),
    doc: (key: string) => entry(key).model(),
    md: (key: string) => renderMarkdown(entry(key).model()),
  };
}

let example: ReturnType<typeof packageOf> | undefined;
const EX = () => {
  example ??= packageOf(EXAMPLE);
  return example;
};

/** The Markdown table row whose first cell is `first`, in the section that starts with `heading`. */
function rowIn(markdown: string, heading: string, first: string): string | undefined {
  const start = markdown.indexOf(`\n${heading}`);
  if (start < 0) return undefined;
  const next = markdown.indexOf('\n## ', start + 1);
  return rowOf(markdown.slice(start, next < 0 ? undefined : next), first);
}

/** The Markdown table row whose first cell is `first`. */
const rowOf = (markdown: string, first: string) =>
  markdown.split('\n').find((l) => l.startsWith(`| ${first} |`));

describe('plan documents', () => {
  it('writes one document per active plan of the example, keyed by its plan type, with its text and sections', () => {
    const ex = EX();
    const plans = ex.analysis.graph.ofKind('plan').filter(isActive);
    expect(plans.length).toBeGreaterThan(2);
    for (const plan of plans) {
      const type = String(plan.fields.planType);
      const key = PLAN_DATA[type]!.documentKey;
      expect(ex.keys, plan.id).toContain(key);
      const doc = ex.doc(key);
      const markdown = ex.md(key);
      expect(doc.records).toEqual([plan.id]);
      // The plan's own document number, the text as written, every required section of its type.
      expect(markdown).toContain(`| Document number | ${plan.fields.documentNumber} |`);
      for (const line of plan.text.split('\n').filter((l) => /^[A-Za-z]/.test(l) && !l.includes('<')))
        expect(markdown, `${plan.id}: ${line}`).toContain(line);
      const types = [type, ...((plan.fields.covers as string[] | undefined) ?? [])];
      for (const t of types)
        for (const sec of PLAN_DATA[t]!.sections)
          expect(markdown, `${plan.id} ${sec.clause}`).toMatch(
            new RegExp(
              `^\\| ${sec.clause.replace(/&/g, '&amp;').replace(/[.()]/g, '\\$&')} \\| ${sec.title} \\| (yes|no .*) \\| found: `,
              'm',
            ),
          );
    }
    // The development plan covers configuration management: no CMP document of its own.
    expect(ex.keys).toContain('SDP');
    expect(ex.keys).not.toContain('CMP');
  });

  it('says what a plan does not hold: a missing section, placeholders, the approval', () => {
    const plan = starterFiles({ name: 'T', manufacturer: 'M', safetyClass: 'B' })[
      'records/plans/PLAN-002.md'
    ]!;
    expect(plan).toContain('## Feedback after release');
    const edited = plan
      .replace('## Feedback after release', '## Notes')
      .replace(/(## When feedback is a problem\n\n)[\s\S]*?(\n## )/, '$1TBD\n$2');
    const p = packageOf(initProject('B', { 'records/plans/PLAN-002.md': edited }));
    const markdown = p.md('SMP');
    const feedback = PLAN_DATA.maintenance!.sections.find((x) =>
      x.title.toLowerCase().startsWith('feedback'),
    )!;
    expect(markdown).toContain(`| ${feedback.clause} | ${feedback.title} | yes | **not recorded** |`);
    expect(markdown).toMatch(
      new RegExp(
        `> \\*\\*Not recorded:\\*\\* section “${feedback.title}” in PLAN-002: .* \\(${feedback.clause}\\)`,
      ),
    );
    expect(markdown).toMatch(/\| \*\*only placeholders\*\*: heading “When feedback is a problem” \|/);
    expect(markdown).toContain('holds only placeholders');
    // A draft plan: its approval is not recorded.
    expect(markdown).toContain('| Approved by | **not recorded** |');
    expect(markdown).toContain(
      '> **Not recorded:** the approval of PLAN-002 (status: approved, approvedBy, approvedOn) (IEC 62304 6.1)',
    );
    // The unedited development plan has every section at class B, so no section is said missing.
    expect(p.md('SDP')).not.toMatch(/Not recorded:\*\* section/);
  });

  it('keys several plans of one type by record id, and a plan type without a record gets no document', () => {
    const starter = starterFiles({ name: 'T', manufacturer: 'M', safetyClass: 'B' });
    const second = starter['records/plans/PLAN-003.md']!.replace('id: PLAN-003', 'id: PLAN-009').replace(
      /^title: .*$/m,
      'title: "<script>x</script> *second* | risk plan"',
    );
    const p = packageOf(
      initProject('B', { 'records/plans/PLAN-009.md': second, 'records/plans/PLAN-002.md': '' }),
    );
    expect(p.keys).toContain('RMP-PLAN-003');
    expect(p.keys).toContain('RMP-PLAN-009');
    expect(p.keys).not.toContain('RMP');
    expect(p.keys).not.toContain('SMP');
    const markdown = p.md('RMP-PLAN-009');
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('&lt;script&gt;x&lt;/script&gt; \\*second\\* \\| risk plan');
    // The index reports the missing maintenance plan instead of inventing it.
    const index = p.md('INDEX');
    expect(index).toContain(
      '> **Not recorded:** the software maintenance plan (planType: maintenance): required at class B, held by no plan record, so the package has no SMP (6.1)',
    );
    expect(rowIn(index, '## 4 ', 'Software maintenance plan')).toContain('**missing**');
    expect(rowIn(index, '## 5 ', 'RMP-PLAN-009')).toBeDefined();
  });
});

describe('the gap report', () => {
  it('holds the scan: counts, the heat map, every clause, the gaps first with what to do', () => {
    const p = packageOf(initProject('B'));
    const doc = p.doc('GAP');
    const markdown = p.md('GAP');
    const scan = p.context.gapScan();
    const applicable = scan.clauses.filter((c) => c.applies);
    const found = applicable.filter((c) => c.status === 'evidence-found').length;
    const none = applicable.filter((c) => c.status === 'no-evidence').length;
    expect(none).toBeGreaterThan(0);
    expect(markdown).toContain(
      `| **All clauses** | **${applicable.length}** | **${found}** | **${applicable.length - found - none}** | **${none}** | **${scan.clauses.length - applicable.length}** |`,
    );
    for (const c of scan.clauses)
      expect(rowIn(markdown, '## 5 Every clause', c.clause), c.clause).toBeDefined();
    const diagram = doc.blocks.find((b) => b.kind === 'diagram');
    expect(diagram?.kind === 'diagram' && diagram.svg.startsWith('<svg')).toBe(true);
    expect(markdown).toContain('![IEC 62304 clauses by process');
    // The first gap is a clause without evidence, with its hint as what to do and what is missing.
    const gap = /^### 4\.1 (\S+) /m.exec(markdown)![1]!;
    const first = scan.clauses.find((c) => c.clause === gap)!;
    expect(first.status).toBe('no-evidence');
    const fields = doc.blocks.find(
      (b, i) =>
        b.kind === 'fields' &&
        doc.blocks[i - 1]?.kind === 'heading' &&
        (doc.blocks[i - 1] as { text: string }).text.startsWith(`4.1 ${gap} `),
    );
    expect(fields?.kind === 'fields' && fields.rows.find(([label]) => label === 'What to do')?.[1]).toEqual([
      { text: first.hint },
    ]);
    expect(markdown).toContain(`- ${first.missing[0]!.split('`')[0]}`);
    // The scan reads every record: the report includes them all.
    expect(doc.records.length).toBe(p.analysis.graph.byId.size);
  });

  it('changes revision when any record changes', () => {
    const dir = initProject('B');
    const before = packageOf(dir).doc('GAP').control.revision;
    const sys = fs.readFileSync(path.join(dir, 'records/system/SYS-001.md'), 'utf8');
    fs.writeFileSync(path.join(dir, 'records/system/SYS-001.md'), sys.replace(/\n---\n/, '\n---\nChanged. '));
    expect(packageOf(dir).doc('GAP').control.revision).not.toBe(before);
  });
});

describe('the submission index', () => {
  it('arranges the example (Enhanced) in the order of elements A–J, present and missing from the registry', () => {
    const ex = EX();
    const markdown = ex.md('INDEX');
    expect(ex.analysis.safety.documentationLevel.level).toBe('Enhanced');
    const headings = [...markdown.matchAll(/^### 2\.\d+ ([A-J]) /gm)].map((m) => m[1]);
    expect(headings).toEqual(ELEMENTS.elements.map((e: { key: string }) => e.key));
    for (const element of ELEMENTS.elements)
      for (const part of element.parts as { what: string; document?: string }[]) {
        if (part.document === undefined) continue;
        const row = rowIn(markdown, '## 2 ', part.what);
        expect(row, part.what).toBeDefined();
        expect(row, part.what).toContain(
          ex.keys.includes(part.document) ? '| present |' : '**not written by Dossier yet**',
        );
        expect(row, part.what).not.toContain('not submitted');
      }
    // Cybersecurity: a cyber device; the threat model is kept as records (TM-001), its document
    // outside per ATT-011; the security risk management report is neither.
    expect(rowIn(markdown, '## 3 ', 'Threat model')).toContain(
      'none written by Dossier; the records: TM-001',
    );
    expect(rowIn(markdown, '## 3 ', 'Threat model')).toContain(
      '**no document written**; kept outside the dossier according to ATT-011',
    );
    expect(rowIn(markdown, '## 3 ', 'Security risk management report')).toContain(
      'none: Dossier keeps no such records | **not recorded**',
    );
    expect(rowIn(markdown, '## 3 ', CSMP_TYPE)).toContain('`CSMP`');
    // Every document of the package is listed with its revision.
    for (const key of ex.keys.filter((k) => k !== 'INDEX'))
      expect(rowIn(markdown, '## 5 ', key), key).toContain(`| ${ex.doc(key).control.revision} |`);
    expect(ex.doc('INDEX').records).toEqual(expect.arrayContaining([...ex.doc('SRS').records]));
  });

  it('leaves out at Basic what only Enhanced asks, says why, and still lists the design file (class B)', () => {
    const dir = initProject('B');
    const p = packageOf(dir);
    const markdown = p.md('INDEX');
    expect(p.analysis.safety.documentationLevel.level).toBe('Basic');
    const leftOut = ELEMENTS.elements.flatMap((e: { parts: { what: string; submittedAt?: string[] }[] }) =>
      e.parts.filter((x) => x.submittedAt && !x.submittedAt.includes('Basic')).map((x) => x.what),
    );
    expect(leftOut.length).toBeGreaterThanOrEqual(3);
    for (const what of leftOut)
      expect(rowIn(markdown, '## 2 ', what), what).toMatch(/\*\*not submitted at Basic\*\*: .+/);
    expect(markdown).toContain(
      'At Basic, the submission leaves out what only Enhanced asks for: software design specification (element F)',
    );
    // Kept regardless: 5.4.1 applies at class B, so the design specification stays required in the file.
    expect(markdown).toContain('The documentation level changes what is submitted, not what is kept.');
    expect(
      rowIn(
        markdown,
        '## 4 ',
        'Software design specification (units at class B; their detailed design at class C)',
      ),
    ).toContain('| yes (5.4.1) |');
    // Not a cyber device (the starter declares false): the cybersecurity section says so.
    const notApplicable =
      'Not applicable: the cybersecurity documents of a cyber device are not part of this submission.';
    expect(markdown).toContain(notApplicable);
    expect(rowOf(markdown, 'Threat model')).toBeUndefined();
    // Undeclared: treated as a cyber device (fail closed), its documents listed.
    const config = fs.readFileSync(path.join(dir, 'dossier.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'dossier.yaml'), withCyberDevice(config, 'undeclared'));
    const undeclared = packageOf(dir).md('INDEX');
    expect(undeclared).not.toContain(notApplicable);
    expect(rowOf(undeclared, 'Threat model')).toBeDefined();
  });

  it('a `dossier init --class A` project: Basic, and the design specification is not required at class A', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-index-')), 'p');
    const r = runCli(['init', dir, '--class', 'A', '--name', 'Tiny', '--manufacturer', 'M']);
    expect(r.code, r.stderr).toBe(0);
    const markdown = packageOf(dir).md('INDEX');
    expect(markdown).toContain('at the documentation level Dossier computed: Basic.');
    expect(
      rowIn(
        markdown,
        '## 4 ',
        'Software design specification (units at class B; their detailed design at class C)',
      ),
    ).toContain(
      // Dossier writes the SDS for every project; at class A the design file does not require it.
      '| no: 5.4.1 applies at class B, C; 5.4.2 applies at class C; 5.4.3 applies at class C | present |',
    );
    expect(rowIn(markdown, '## 4 ', 'Software requirements specification')).toContain(
      '| yes (5.2.1, 5.2.2) | present |',
    );
  });
});

describe('the eSTAR attachment map', () => {
  it('maps each eSTAR document type to files, with readiness and what is missing (example, Enhanced)', () => {
    const ex = EX();
    const markdown = ex.md('ESTAR');
    for (const row of [...ESTAR_DATA.software, ...ESTAR_DATA.cybersecurity])
      expect(rowOf(markdown, row.type), row.type).toBeDefined();
    // The SRS row attaches the SRS; its readiness depends on TRACE being written.
    const srs = rowOf(markdown, 'Software Requirements Specification (SRS)')!;
    expect(srs).toContain('`documents/SRS.pdf`');
    expect(srs).toContain(ex.keys.includes('TRACE') ? '`documents/TRACE.pdf`' : '**missing**');
    // At Enhanced the design specification is asked for.
    expect(rowOf(markdown, 'Software Design Specification (SDS)')).not.toContain('not attached');
    // The threat model: nothing Dossier writes, and the attestation's reference says where it is.
    const att = ex.analysis.graph.get('ATT-011')!;
    expect(markdown).toContain(
      `ATT-011 says it is kept outside the dossier: ${String(att.fields.reference)}.`,
    );
    expect(rowOf(markdown, 'Threat model')).toContain('| nothing Dossier writes | **missing** (section 4) |');
    expect(rowOf(markdown, CSMP_TYPE)).toContain('`documents/CSMP.pdf`');
  });

  it('at Basic does not attach the design specification, and lists the gaps of present documents', () => {
    const dir = initProject('B');
    const markdown = packageOf(dir).md('ESTAR');
    expect(rowOf(markdown, 'Software Design Specification (SDS)')).toContain('not attached at Basic');
    // The starter plans are drafts: their approval is not recorded, so the life-cycle row has gaps.
    const lifeCycle = rowOf(
      markdown,
      ESTAR_DATA.software.find((r: { element: string }) => r.element === 'G').type,
    )!;
    expect(lifeCycle).toContain('`documents/SDP.pdf`, `documents/SMP.pdf`');
    expect(markdown).toContain(
      '- `SDP`: the approval of PLAN-001 (status: approved, approvedBy, approvedOn) (5.1.2)',
    );
    // Approved plans: the approval gap is gone.
    for (const id of ['PLAN-001', 'PLAN-002', 'PLAN-003']) {
      const file = path.join(dir, `records/plans/${id}.md`);
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace('status: draft', 'status: approved\napprovedBy: Q. A.\napprovedOn: 2026-01-05'),
      );
    }
    expect(packageOf(dir).md('ESTAR')).not.toContain('the approval of PLAN-001');
  });
});

describe('the package of one build', () => {
  it('is the same bytes when built again from the same records', () => {
    const again = packageOf(EXAMPLE);
    for (const key of ['SDP', 'GAP', 'INDEX', 'ESTAR']) expect(again.md(key), key).toBe(EX().md(key));
  });

  it('builds each document once, and `docs build --only` takes plan keys', () => {
    const { context } = EX();
    const pkg = documentsFor(context);
    expect(documentsFor(context)).toBe(pkg);
    const srs = pkg.find((d) => d.key === 'SRS')!;
    expect(srs.model()).toBe(srs.model());
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-docs-'));
    const r = runCli(['docs', 'build', EXAMPLE, '--only', 'SDP,GAP', '--format', 'md', '--out', out], REPO, {
      SOURCE_DATE_EPOCH: '1796083200',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['GAP-heat-map.svg', 'GAP.md', 'SDP.md']);
    const bad = runCli(['docs', 'build', EXAMPLE, '--only', 'SDP,CMP', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--only CMP: unknown; choose from');
  });
});
