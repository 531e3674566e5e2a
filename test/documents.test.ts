/**
 * The documentation package (docs/documents.md), first document: the Software Requirements
 * Specification as Markdown, with document control defined by the content it includes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project.js';
import { isActive } from '../src/model/record.js';
import { buildDocument, DOC_DATE } from './document-helpers.js';
import { EXAMPLE, REPO, runCli, starterProject } from './helpers.js';

const DATE = DOC_DATE;

const srsOf = (dir: string, baseline?: string) => buildDocument(dir, 'SRS', baseline);

const SRS1 = 'records/software/SRS-001.md';
const starterSrs1 = () => fs.readFileSync(path.join(starterProject(), SRS1), 'utf8');

describe('the Software Requirements Specification', () => {
  it('holds every active requirement of the example with its full text, in 5.2.2 category order', () => {
    const { doc, markdown, analysis } = srsOf(EXAMPLE);
    const all = analysis.graph.ofKind('software-requirement');
    const active = all.filter(isActive);
    expect(all.length).toBeGreaterThan(active.length); // the example has an obsolete one, left out
    for (const r of all) {
      const heading = `#### <a id="${r.id}"></a>${r.id} `;
      expect(markdown.includes(heading), r.id).toBe(isActive(r));
    }
    for (const r of active) {
      // Every line of the requirement's text is in the document as written.
      for (const line of r.text.split('\n').filter((l) => l.trim() !== '' && !l.includes('<')))
        expect(markdown, `${r.id}: ${line}`).toContain(line);
      expect(doc.records).toContain(r.id);
    }
    const sections = [...markdown.matchAll(/^### 2\.\d+ .* \((5\.2\.2 [a-l])\)$/gm)].map((m) => m[1]);
    expect(sections).toEqual([...sections].sort());
    expect(sections.length).toBeGreaterThan(3);
    // The summary table lists each active requirement once, linked to its section.
    for (const r of active) expect(markdown.split(`| [${r.id}](#${r.id}) |`).length - 1, r.id).toBe(1);
  });

  it('is the same bytes for the same records, and says it is an uncontrolled draft', () => {
    const a = srsOf(EXAMPLE, '1.1.0');
    const b = srsOf(EXAMPLE, '1.1.0');
    expect(a.markdown).toBe(b.markdown);
    expect(a.doc.control.revision).toMatch(/^1\.1\.0\+[0-9a-f]{8}$/);
    expect(a.markdown.match(/> \*\*Uncontrolled draft\.\*\*/g)).toHaveLength(2);
    expect(a.markdown).toContain(`| Revision | ${a.doc.control.revision} |`);
    expect(a.markdown).toContain(`| Date | ${DATE} |`);
  });

  it('changes revision exactly when the content of an included record changes', () => {
    const base = srsOf(starterProject()).doc.control;
    const text = starterSrs1();
    const revisionWith = (content: string) => srsOf(starterProject({ [SRS1]: content })).doc.control.revision;
    // Content of a requirement: a new revision.
    expect(revisionWith(text.replace(/\n---\n([\s\S])/, '\n---\nChanged. $1'))).not.toBe(base.revision);
    // Its status (not content), or its file's comments: the same revision.
    expect(revisionWith(text.replace('status: draft', 'status: approved'))).toBe(base.revision);
    expect(revisionWith(text.replace('---\n', '---\n# a comment\n'))).toBe(base.revision);
    // A record the document does not include: the same revision.
    const dir = starterProject({
      'records/risk/HAZ-900.md':
        '---\nid: HAZ-900\ntitle: Unrelated hazard\n---\nA hazard no requirement names.\n',
    });
    expect(srsOf(dir).doc.control.revision).toBe(base.revision);
  });

  it('writes what people wrote as text: nothing in a title or a record becomes markup or HTML', () => {
    const text = starterSrs1()
      .replace(/^title: .*$/m, 'title: "<script>alert(1)</script> # *bold* | pipe ]]> [x](y)"')
      .replace(
        /\n---\n/,
        '\n---\n# Heading inside the text\n\nSee <img src=x onerror=alert(1)> and `a <b> code` here.\n\n',
      );
    const { markdown } = srsOf(starterProject({ [SRS1]: text }));
    expect(markdown).not.toMatch(/<script|<img/);
    expect(markdown).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; # \\*bold\\* \\| pipe \\]\\]&gt; \\[x\\](y)',
    );
    expect(markdown).toContain('See &lt;img src=x onerror=alert(1)> and `a <b> code` here.');
    // A heading in a record's text stays below the record's own heading.
    expect(markdown).toContain('\n##### Heading inside the text\n');
    expect(markdown).not.toMatch(/^# Heading inside the text$/m);
  });

  it('says what a requirement does not record instead of leaving it out', () => {
    const text = starterSrs1()
      .replace(/^derivesFrom: .*\n/m, '')
      .replace(/^linkReviews:\n(?: {2}- .*\n)+/m, '');
    const { markdown } = srsOf(
      starterProject({ [SRS1]: text, 'records/tests/system-tests.yaml': 'kind: test\nrecords: []\n' }),
    );
    expect(markdown).toContain(
      '> **Not recorded:** what SRS-001 derives from (a system requirement or another source) (5.2.1, 5.2.6 f)',
    );
    expect(markdown).toContain('| Verified by | **no test recorded** |');
    const empty = srsOf(
      starterProject(
        Object.fromEntries(
          fs
            .readdirSync(path.join(starterProject(), 'records/software'))
            .map((f) => [`records/software/${f}`, '']),
        ),
      ),
    );
    expect(empty.markdown).toContain('> **Not recorded:** no software requirement (5.2.1)');
  });
});

describe('dossier docs build', () => {
  // 2026-12-01T00:00:00Z
  const EPOCH = { SOURCE_DATE_EPOCH: '1796083200' };

  it('writes the documents the build writes, dated by SOURCE_DATE_EPOCH, with a release baseline', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-docs-'));
    const r = runCli(
      ['docs', 'build', EXAMPLE, '--only', 'SRS', '--release', '1.1.0', '--out', out],
      REPO,
      EPOCH,
    );
    expect(r.code, r.stderr).toBe(0);
    const { markdown, doc } = srsOf(EXAMPLE, '1.1.0');
    expect(fs.readFileSync(path.join(out, 'SRS.md'), 'utf8')).toBe(markdown);
    expect(r.stdout).toContain(
      `Software Requirements Specification, revision ${doc.control.revision} (uncontrolled draft)`,
    );
    expect(fs.readdirSync(out).sort()).toEqual(['SRS.docx', 'SRS.html', 'SRS.md', 'SRS.pdf', 'index.html']);
  });

  it('refuses unknown formats and documents and incomplete projects, writing nothing', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-docs-')), 'docs');
    const cases: [string, string[], string][] = [
      [EXAMPLE, ['--format', 'md,odt'], '--format odt: unknown; choose from md, html, docx, pdf'],
      [EXAMPLE, ['--only', 'SRS,XYZ'], '--only XYZ: unknown; choose from SRS, '],
      [
        starterProject({ 'records/software/SRS-009.md': '---\nid: SRS-009\ntitle: [unclosed\n---\n' }),
        [],
        'write the documents',
      ],
    ];
    for (const [dir, args, message] of cases) {
      const r = runCli(['docs', 'build', dir, ...args, '--out', out], REPO, EPOCH);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  it('teaches in --help', () => {
    const help = runCli(['docs', 'build', '--help']).stdout;
    for (const words of ['--only', '--release', 'revision = baseline', 'Not recorded', 'uncontrolled draft'])
      expect(help).toContain(words);
  });
});

describe('document control data from dossier.yaml', () => {
  it('shows the number and author configured for the document, and says where to set them when not', () => {
    const bare = srsOf(starterProject()).markdown;
    expect(bare).toContain('| Document number | not assigned (documents.SRS.number in dossier.yaml) |');
    expect(bare).toContain('| Author | not named (documents.SRS.author in dossier.yaml) |');
    const { markdown } = srsOf(EXAMPLE);
    expect(markdown).toContain('| Document number | SRS-SP200 |');
    expect(markdown).toContain('| Author | M. Keller |');
    const config = fs.readFileSync(path.join(starterProject(), 'dossier.yaml'), 'utf8');
    const dir = starterProject({
      'dossier.yaml': `${config}documents:\n  SRS: { number: " ", author: X }\n`,
    });
    const loaded = loadProject(dir);
    expect(loaded.ok).toBe(false);
  });
});
