/**
 * The design documents of the package (docs/documents.md): the Software Architecture Description
 * (IEC 62304 5.3, FDA element E) with its architecture diagram, and the Software Design
 * Specification (5.4, FDA element F). Expected content is read from the record files and the data
 * table directly, not from the builders' helpers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { DocumentModel } from '../src/docs/model.js';
import { buildDocument } from './document-helpers.js';
import { EXAMPLE, REPO, runCli, starterProject } from './helpers.js';

const ARCH = path.join(EXAMPLE, 'records/architecture');

/** The front matter and body of every record file of the example's architecture, read as YAML. */
function exampleItems() {
  return fs
    .readdirSync(ARCH)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const [, front, ...body] = fs.readFileSync(path.join(ARCH, f), 'utf8').split(/^---$/m);
      return { ...(parseYaml(front!) as Record<string, unknown>), body: body.join('---') } as Record<
        string,
        unknown
      > & { id: string; title: string; body: string };
    });
}

function exampleSoup() {
  const files = ['records/soup.yaml', 'records/soup/imported.yaml'];
  return files.flatMap(
    (f) =>
      (parseYaml(fs.readFileSync(path.join(EXAMPLE, f), 'utf8')) as { records: Record<string, unknown>[] })
        .records,
  );
}

const svgOf = (doc: DocumentModel, name = 'architecture') => {
  const block = doc.blocks.find((b) => b.kind === 'diagram' && b.name === name);
  if (block?.kind !== 'diagram') throw new Error(`no diagram ${name}`);
  return block.svg;
};

/** A unit, a SOUP item and an item with a segregation rationale, added to the starter project. */
const UNIT = `---
id: SI-003
title: Fault monitor
status: draft
itemType: unit
partOf: SI-002
uses: [SOUP-001]
contributesTo: [HS-001]
causes:
  - situation: HS-001
    category: defect
    description: The monitor misses a fault.
    controls: [RC-001]
interfaces: Reads the delivery sensor through the SPI driver; sets the stop flag read by SI-002.
design: Samples the sensor every 10 ms and sets the stop flag after three samples out of range.
---
Watches the delivery sensor and stops delivery on a fault.
`;
const SOUP = `kind: soup
records:
  - id: SOUP-001
    title: Sensor driver library
    manufacturer: Example Vendor
    version: "2.1.0"
    requirements: Reads the sensor over SPI within 1 ms.
    systemRequirements: Cortex-M4 with 4 KB RAM.
`;
const SEGREGATED = `---
id: SI-004
title: Service log
status: draft
itemType: item
partOf: SI-001
contributesTo: [HS-001]
causes:
  - situation: HS-001
    category: defect
    description: A full log delays the monitor.
    controls: [RC-001]
segregation:
  rationale: It runs in its own task and cannot write the therapy data.
interfaces: Receives events from SI-002.
---
Keeps the service log.
`;
const fixture = (overrides: Record<string, string> = {}) =>
  starterProject({
    'records/architecture/SI-003.md': UNIT,
    'records/architecture/SI-004.md': SEGREGATED,
    'records/soup/soup.yaml': SOUP,
    ...overrides,
  });

describe('the Software Architecture Description', () => {
  it('holds every item of the example in its hierarchy, with its class, description and interfaces', () => {
    const { doc, markdown, analysis } = buildDocument(EXAMPLE, 'SAD');
    const items = exampleItems().filter((i) => i.status !== 'obsolete');
    const classes = new Map(
      [...analysis.safety.items, analysis.safety.system!].map((c) => [c.id, c.computedClass]),
    );
    for (const item of items) {
      const parent =
        typeof item.partOf === 'string' ? `[${item.partOf}](#${item.partOf})` : '(software system)';
      // One row of the hierarchy per item, with its parent and class.
      const row = new RegExp(
        `^\\| \\[?${item.id}\\]?(?:\\(#${item.id}\\))? \\| \\d \\| ${item.itemType} \\| ${parent.replace(/[[\]().#]/g, '\\$&')} \\| ${classes.get(item.id)} \\| ${item.title} \\|$`,
        'm',
      );
      expect(markdown, item.id).toMatch(row);
      if (item.itemType === 'unit') {
        expect(markdown, item.id).not.toContain(`<a id="${item.id}"></a>`);
        continue;
      }
      // Items (not units) have their own section: description and interfaces as written.
      expect(markdown, item.id).toMatch(new RegExp(`^### <a id="${item.id}"></a>3\\.\\d+ ${item.id} `, 'm'));
      for (const line of item.body.split('\n').filter((l) => l.trim() !== '' && !l.includes('<')))
        expect(markdown, `${item.id}: ${line}`).toContain(line);
      expect(markdown, item.id).toContain(String(item.interfaces));
      expect(doc.records).toContain(item.id);
    }
    // The class is explained with the item's hazardous situations.
    expect(markdown).toMatch(/\*\*Why class B:\*\* .*segregated from its parent SI-001 \(class C\)/);
  });

  it('gives every SOUP item in use its 5.3.3 requirements and 5.3.4 needs, as written', () => {
    const { markdown } = buildDocument(EXAMPLE, 'SAD');
    const soup = exampleSoup().filter((s) => s.removed === undefined && s.status !== 'obsolete');
    expect(soup.length).toBeGreaterThan(40);
    for (const s of soup) {
      expect(markdown, String(s.id)).toMatch(new RegExp(`^### <a id="${s.id}"></a>5\\.\\d+ ${s.id} `, 'm'));
      expect(markdown, String(s.id)).toContain(String(s.requirements).replace(/</g, '&lt;'));
      expect(markdown, String(s.id)).toContain(String(s.systemRequirements).replace(/</g, '&lt;'));
    }
    expect(markdown.match(/^\| \[SOUP-\d+\]\(#SOUP-\d+\) \| /gm)).toHaveLength(soup.length);
  });

  it('shows the segregation of the example with its rationale and mechanism, and the architecture reviews', () => {
    const { markdown } = buildDocument(EXAMPLE, 'SAD');
    const segregated = exampleItems().filter((i) => i.segregation !== undefined);
    expect(segregated.map((i) => i.id)).toEqual(['SI-010', 'SI-030']);
    for (const item of segregated) {
      const seg = item.segregation as { rationale: string; mechanism: string };
      const section = markdown.slice(markdown.indexOf(`### 6.`), markdown.indexOf('## 7 '));
      expect(section).toContain(`${item.id} ${item.title}`);
      expect(section).toContain(seg.rationale);
      expect(section).toContain(seg.mechanism);
    }
    // Each architecture review of the example is listed.
    const reviews = fs
      .readdirSync(path.join(EXAMPLE, 'records/reviews'))
      .map((f) => fs.readFileSync(path.join(EXAMPLE, 'records/reviews', f), 'utf8'))
      .filter((t) => /^reviewType: architecture$/m.test(t))
      .map((t) => /^id: (\S+)$/m.exec(t)![1]!);
    expect(reviews.length).toBeGreaterThan(0);
    for (const id of reviews) expect(markdown).toMatch(new RegExp(`^\\| ${id} \\| `, 'm'));
  });

  it('draws the diagram from the records: a box per item, an arrow per pair of items whose interfaces name each other', () => {
    const { doc } = buildDocument(EXAMPLE, 'SAD');
    const svg = svgOf(doc);
    expect(XMLValidator.validate(svg)).toBe(true);
    const width = Number(/<svg [^>]*width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeLessThanOrEqual(1000);
    const items = exampleItems().filter((i) => i.status !== 'obsolete');
    for (const item of items) {
      expect(svg, item.id).toContain(`<title>${item.id} `);
      expect(svg, item.id).toMatch(new RegExp(`>${item.id}(?:  |<)`));
    }
    // Arrows join the items directly below the system; a unit's interfaces count for its item.
    const byId = new Map(items.map((i) => [i.id, i]));
    const band = (id: string): string => {
      const parent = byId.get(id)?.partOf as string | undefined;
      return parent === undefined || parent === 'SI-001' ? id : band(parent);
    };
    const pairs = new Set<string>();
    for (const item of items) {
      for (const named of String(item.interfaces ?? '').match(/SI-\d{3}/g) ?? []) {
        if (!byId.has(named) || named === 'SI-001' || item.id === 'SI-001') continue;
        const [a, b] = [band(item.id), band(named)].sort();
        if (a !== b) pairs.add(`${a} ${b}`);
      }
    }
    expect(pairs.size).toBeGreaterThan(5);
    expect(svg.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(pairs.size);
    // Every SOUP in use has a box with its class.
    for (const s of exampleSoup().filter((x) => x.removed === undefined))
      expect(svg, String(s.id)).toContain(`<title>${s.id} `);
    // Classes B and C are on the boxes.
    expect(svg).toContain('>class B</text>');
    expect(svg).toContain('>class C</text>');
  });

  it('says what an item or a SOUP item does not record', () => {
    const starterSi2 = fs.readFileSync(path.join(starterProject(), 'records/architecture/SI-002.md'), 'utf8');
    const full = buildDocument(fixture(), 'SAD').markdown;
    expect(full).toContain('Receives therapy parameters from the user interface');
    expect(full).toContain('Reads the sensor over SPI within 1 ms.');
    expect(full).toContain('Cortex-M4 with 4 KB RAM.');
    const { markdown } = buildDocument(
      fixture({
        'records/architecture/SI-002.md': starterSi2.replace(/^interfaces: .*\n/m, ''),
        'records/soup/soup.yaml': SOUP.replace(/^ {4}requirements: .*\n/m, '').replace(
          /^ {4}systemRequirements: .*\n/m,
          '',
        ),
      }),
      'SAD',
    );
    expect(markdown).toContain('> **Not recorded:** interfaces of SI-002 (5.3.2)');
    expect(markdown).toContain(
      '> **Not recorded:** functional and performance requirements of SOUP-001 (5.3.3)',
    );
    expect(markdown).toContain(
      '> **Not recorded:** system hardware and software it needs of SOUP-001 (5.3.4)',
    );
    expect(markdown).toMatch(/^\| \[SI-002\]\(#SI-002\) \| \*\*not recorded\*\* \| /m);
    // A segregation without its mechanism under a class C parent.
    expect(markdown).toContain('It runs in its own task and cannot write the therapy data.');
    expect(markdown).toContain(
      '> **Not recorded:** the segregation mechanism of SI-004 and how it is made effective (5.3.5)',
    );
    // Without any segregation at class C, and without any architecture review.
    const bare = buildDocument(starterProject(), 'SAD').markdown;
    expect(bare).toContain(
      '> **Not recorded:** any segregation between software items, or that the risk control relies on none (5.3.5)',
    );
    expect(bare).toContain(
      '> **Not recorded:** an architecture verification (a review of type architecture) (5.3.6)',
    );
    expect(bare).toContain(
      '> **Not recorded:** no SOUP item in use (or that the software uses none) (5.3.3)',
    );
  });

  it('is the same bytes for the same records, and changes revision when an item changes', () => {
    const a = buildDocument(EXAMPLE, 'SAD', '1.2.0');
    const b = buildDocument(EXAMPLE, 'SAD', '1.2.0');
    expect(a.markdown).toBe(b.markdown);
    expect(svgOf(a.doc)).toBe(svgOf(b.doc));
    const base = buildDocument(fixture(), 'SAD').doc.control.revision;
    const changed = buildDocument(
      fixture({ 'records/architecture/SI-003.md': UNIT.replace('every 10 ms', 'every 20 ms') }),
      'SAD',
    ).doc.control.revision;
    expect(changed).not.toBe(base);
    const unrelated = buildDocument(
      fixture({ 'records/risk/HAZ-900.md': '---\nid: HAZ-900\ntitle: Unrelated\n---\nNot linked.\n' }),
      'SAD',
    ).doc.control.revision;
    expect(unrelated).toBe(base);
  });

  it('writes titles as text in the Markdown and the SVG', () => {
    const title = '<script>alert(1)</script> | *x* & "q"';
    const dir = fixture({
      'records/architecture/SI-003.md': UNIT.replace('title: Fault monitor', `title: '${title}'`),
    });
    const { doc, markdown } = buildDocument(dir, 'SAD');
    expect(markdown).not.toContain('<script');
    expect(markdown).toContain(
      '| SI-003 | 2 | unit | [SI-002](#SI-002) | C | &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*x\\* &amp; "q" |',
    );
    const svg = svgOf(doc);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(XMLValidator.validate(svg)).toBe(true);
  });
});

describe('the Software Design Specification', () => {
  it('gives every class C unit of the example its detailed design and interface design, as written', () => {
    const { doc, markdown, analysis } = buildDocument(EXAMPLE, 'SDS');
    const classOf = new Map(analysis.safety.items.map((c) => [c.id, c.computedClass]));
    const units = exampleItems().filter((i) => i.itemType === 'unit' && i.status !== 'obsolete');
    expect(units.length).toBeGreaterThan(15);
    for (const unit of units) {
      expect(markdown, unit.id).toContain(`#### <a id="${unit.id}"></a>${unit.id} ${unit.title}`);
      expect(markdown, unit.id).toMatch(
        new RegExp(
          `^\\| \\[${unit.id}\\]\\(#${unit.id}\\) \\| .* \\| \\[${unit.partOf}\\]\\(#${unit.partOf}\\) \\| ${classOf.get(unit.id)} \\| `,
          'm',
        ),
      );
      expect(markdown, unit.id).toContain(String(unit.design).replace(/</g, '&lt;'));
      expect(markdown, unit.id).toContain(String(unit.interfaces).replace(/</g, '&lt;'));
      expect(doc.records).toContain(unit.id);
    }
    // A class B unit: listed, and what 5.4 asks at class B is said.
    const classB = units.filter((u) => classOf.get(u.id) === 'B');
    expect(classB.map((u) => u.id)).toEqual(['SI-025']);
    expect(markdown).toContain(
      'Class B: the unit is identified here (5.4.1); its detailed design (5.4.2), the design of its interfaces (5.4.3) and their verification (5.4.4) apply at class C and are not required at class B.',
    );
    expect(markdown).toContain('**Detailed design (5.4.2; recorded, not required at class B)**');
    // An item of class B without units: 5.4.1 applies at class B.
    const leaves = exampleItems().filter(
      (i) => i.itemType === 'item' && !units.some((u) => u.partOf === i.id),
    );
    expect(leaves.map((i) => i.id)).toEqual(['SI-030']);
    expect(markdown).toContain(
      '> **Not recorded:** the software units of SI-030 Biomed service web pages (class B): no unit is part of it (5.4.1)',
    );
  });

  it('states the 5.4 applicability from the data table, and the documentation level', () => {
    const { markdown, analysis } = buildDocument(EXAMPLE, 'SDS');
    const table = JSON.parse(
      fs.readFileSync(path.join(REPO, 'data/iec62304-ed1.1-applicability.json'), 'utf8'),
    ) as { clauses: { clause: string; title: string; classes: string[] }[] };
    for (const clause of ['5.4.1', '5.4.2', '5.4.3', '5.4.4']) {
      const row = table.clauses.find((c) => c.clause === clause)!;
      const words =
        row.classes.length === 1 ? `class ${row.classes[0]}` : `class ${row.classes.join(' and ')}`;
      expect(markdown).toContain(`| ${clause} | ${row.title} | ${words} |`);
    }
    expect(analysis.safety.documentationLevel.level).toBe('Enhanced');
    expect(markdown).toContain(
      'The FDA documentation level of the device is Enhanced, so this specification is part of the premarket submission (element F).',
    );
  });

  it('lists the detailed design reviews of the example and the review that verifies each class C unit', () => {
    const { markdown } = buildDocument(EXAMPLE, 'SDS');
    const reviews = fs
      .readdirSync(path.join(EXAMPLE, 'records/reviews'))
      .map((f) => fs.readFileSync(path.join(EXAMPLE, 'records/reviews', f), 'utf8'))
      .filter((t) => /^reviewType: detailed-design$/m.test(t))
      .map((t) => /^id: (\S+)$/m.exec(t)![1]!);
    expect(reviews.length).toBeGreaterThan(1);
    for (const id of reviews)
      expect(markdown).toMatch(
        new RegExp(`^\\| \\[?${id}\\]?.* \\| (passed|passed-with-actions|failed) \\| `, 'm'),
      );
    const section = markdown.slice(markdown.indexOf('## 5 Verification'));
    // SI-029 (introduced in 1.2.0) is named only by its own review REV-014.
    expect(section).toMatch(/^\| \[SI-029\]\(#SI-029\) \| C \| REV-014 \|$/m);
    expect(section).not.toContain('[SI-025](#SI-025) | B |');
  });

  it('says what a class C unit does not record, and that no review verified it', () => {
    const full = buildDocument(fixture(), 'SDS').markdown;
    expect(full).toContain(
      'Samples the sensor every 10 ms and sets the stop flag after three samples out of range.',
    );
    const { markdown } = buildDocument(
      fixture({
        'records/architecture/SI-003.md': UNIT.replace(/^design: .*\n/m, '').replace(
          /^interfaces: .*\n/m,
          '',
        ),
      }),
      'SDS',
    );
    expect(markdown).toContain('> **Not recorded:** detailed design of SI-003 (5.4.2)');
    expect(markdown).toContain('> **Not recorded:** interface design of SI-003 (5.4.3)');
    expect(markdown).toMatch(
      /^\| \[SI-003\]\(#SI-003\) \| Fault monitor \| \[SI-002\]\(#SI-002\) \| C \| \*\*not recorded\*\* \|$/m,
    );
    expect(markdown).toContain(
      '> **Not recorded:** a detailed design verification (a review of type detailed-design) (5.4.4)',
    );
    expect(markdown).toMatch(
      /^\| \[SI-003\]\(#SI-003\) \| C \| \*\*not verified\*\*: no detailed design verification names it/m,
    );
    // The starter has no unit at all.
    expect(buildDocument(starterProject(), 'SDS').markdown).toContain(
      '> **Not recorded:** no software unit (5.4.1)',
    );
  });

  it('is the same bytes for the same records, and writes a unit title as text', () => {
    expect(buildDocument(EXAMPLE, 'SDS').markdown).toBe(buildDocument(EXAMPLE, 'SDS').markdown);
    const dir = fixture({
      'records/architecture/SI-003.md': UNIT.replace(
        'title: Fault monitor',
        `title: '<script>x</script> | *y*'`,
      ),
    });
    const { markdown } = buildDocument(dir, 'SDS');
    expect(markdown).not.toContain('<script');
    expect(markdown).toContain('#### <a id="SI-003"></a>SI-003 &lt;script&gt;x&lt;/script&gt; \\| \\*y\\*');
  });
});

describe('dossier docs build --only SAD,SDS', () => {
  it('writes the architecture diagram beside the SAD', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-docs-design-')), 'docs');
    try {
      const r = runCli(
        ['docs', 'build', EXAMPLE, '--only', 'SAD,SDS', '--format', 'md', '--out', out],
        REPO,
        {
          SOURCE_DATE_EPOCH: '1796083200',
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(['SAD-architecture.svg', 'SAD.md', 'SDS.md']);
      const { doc } = buildDocument(EXAMPLE, 'SAD');
      expect(fs.readFileSync(path.join(out, 'SAD-architecture.svg'), 'utf8')).toBe(svgOf(doc));
      expect(fs.readFileSync(path.join(out, 'SAD.md'), 'utf8')).toContain(
        '![Software architecture of SP-200 Syringe Infusion Pump, software version 1.2.0](SAD-architecture.svg)',
      );
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
