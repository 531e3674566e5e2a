/**
 * The Software Description (FDA "Content of Premarket Submissions for Device Software Functions",
 * 2023, documentation element VI.B): an overview of the device software's purpose and intended use,
 * its significant features and functions (the items of the software system, IEC 62304 5.3.1), the
 * hardware it runs on and its inputs and outputs (the system's interfaces, 5.3.2), the programming
 * languages and file types its source files show, the off-the-shelf software it uses (the SOUP,
 * 8.1.2), its version and what changed from the previous release. From dossier.yaml (device and
 * software) and the records; what neither says is written as not recorded. Pure over the context.
 */

import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { ecosystemOf } from '../soup/coverage.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { excerpt, sbomOfBaseline } from './soup-baseline.js';

/** File types named by source globs, and the language they are written in. */
const LANGUAGES: Readonly<Record<string, string>> = {
  c: 'C',
  h: 'C or C++ (headers)',
  cc: 'C++',
  cpp: 'C++',
  cxx: 'C++',
  hpp: 'C++ (headers)',
  rs: 'Rust',
  py: 'Python',
  js: 'JavaScript',
  mjs: 'JavaScript',
  jsx: 'JavaScript',
  ts: 'TypeScript',
  tsx: 'TypeScript',
  java: 'Java',
  kt: 'Kotlin',
  swift: 'Swift',
  go: 'Go',
  cs: 'C#',
  s: 'assembly',
  asm: 'assembly',
};

/** The package ecosystems of SOUP, as a reader knows them. */
const ECOSYSTEM_LABEL: Readonly<Record<string, string>> = {
  'crates.io': 'Rust crates (crates.io)',
  npm: 'JavaScript packages (npm)',
  PyPI: 'Python packages (PyPI)',
  Maven: 'Java packages (Maven)',
  Go: 'Go modules',
  NuGet: '.NET packages (NuGet)',
};

export function softwareDescription(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project, safety } = analysis;
  const config = project.config;
  const device = config.device;
  const included = new Set<string>();
  const system = graph.get(config.software.system);
  const systemActive = system?.kind === 'software-item' && isActive(system) ? system : undefined;

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This description gives an overview of the software of ${device.name}, version ${baseline}: its intended use, its significant features and functions, the hardware it runs on, its inputs and outputs, the off-the-shelf software it uses and its version history (FDA guidance "Content of Premarket Submissions for Device Software Functions", 2023, documentation element B).`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '2 Device and intended use' },
    {
      kind: 'fields',
      rows: [
        ['Device', [{ text: device.name }]],
        ['Manufacturer', [{ text: device.manufacturer }]],
        ['Model', device.model ? [{ text: device.model }] : [{ strong: 'not recorded' }]],
        [
          'FDA device class',
          device.deviceClass ? [{ text: device.deviceClass }] : [{ strong: 'not recorded' }],
        ],
        [
          'Cyber device (FD&C 524B)',
          device.cyberDevice === undefined
            ? [{ strong: 'not declared' }, { text: ' (device.cyberDevice in dossier.yaml)' }]
            : [{ text: device.cyberDevice ? 'yes' : 'no' }],
        ],
      ],
    },
    { kind: 'paragraph', inlines: [{ strong: 'Intended use' }] },
    device.intendedUse?.trim()
      ? { kind: 'paragraph', inlines: [{ text: device.intendedUse.trim() }] }
      : {
          kind: 'not-recorded',
          what: 'the intended use of the device (device.intendedUse in dossier.yaml)',
          clause: 'FDA 2023 guidance VI.B',
        },
    { kind: 'heading', level: 1, text: '3 The software' },
  ];

  if (systemActive) {
    included.add(systemActive.id);
    const classification = safety.system;
    blocks.push(
      {
        kind: 'fields',
        rows: [
          ['Software system', [{ ref: systemActive.id }, { text: ` ${systemActive.title}` }]],
          ['Software version', [{ text: baseline }]],
          [
            'Software safety class (IEC 62304 4.3)',
            classification ? [{ text: classification.computedClass }] : [{ strong: 'not classified' }],
          ],
          [
            'FDA documentation level',
            [{ text: `${safety.documentationLevel.level} (see the Documentation Level Evaluation, DLE)` }],
          ],
        ],
      },
      systemActive.text.trim()
        ? { kind: 'record-text', recordId: systemActive.id, markdown: systemActive.text }
        : {
            kind: 'not-recorded',
            what: `a description of the software system (the text of ${systemActive.id})`,
            clause: 'FDA 2023 guidance VI.B',
          },
    );
  } else {
    blocks.push({
      kind: 'not-recorded',
      what: `the software system: software.system in dossier.yaml names ${config.software.system}, which is not an active software item`,
      clause: 'IEC 62304 5.3.1',
    });
  }

  // Features and functions: the items of the software system.
  const parts = systemActive ? graph.childrenOf(systemActive).filter(isActive).sort(compareById) : [];
  const classOf = new Map(safety.items.map((c) => [c.id, c.computedClass]));
  blocks.push({ kind: 'heading', level: 1, text: '4 Features and functions' });
  if (parts.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'the software items of the software system (software items with partOf the system), which would show its features and functions',
      clause: 'IEC 62304 5.3.1; FDA 2023 guidance VI.B',
    });
  else {
    blocks.push(
      {
        kind: 'paragraph',
        inlines: [
          {
            text: `The software system is made of ${parts.length} software item${parts.length === 1 ? '' : 's'}; the Software Architecture Description gives their interfaces and the units below them.`,
          },
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Item', width: 2 },
          { title: 'Title', width: 4 },
          { title: 'Class', width: 1 },
          { title: 'What it does', width: 9 },
        ],
        rows: parts.map((item) => {
          included.add(item.id);
          return [
            [{ ref: item.id }],
            [{ text: item.title }],
            [{ text: classOf.get(item.id) ?? 'not classified' }],
            item.text.trim() ? [{ text: excerpt(item.text) }] : [{ strong: 'not recorded' }],
          ];
        }),
      },
    );
    const undescribed = parts.filter((p) => p.text.trim() === '');
    if (undescribed.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `what ${undescribed.map((p) => p.id).join(', ')} do${undescribed.length === 1 ? 'es' : ''} (the item's text)`,
        clause: 'IEC 62304 5.3.1',
      });
  }

  // Hardware, inputs and outputs.
  blocks.push({ kind: 'heading', level: 1, text: '5 Hardware platform, inputs and outputs' });
  const interfaces =
    typeof systemActive?.fields.interfaces === 'string' ? systemActive.fields.interfaces : '';
  blocks.push(
    interfaces.trim() && systemActive
      ? { kind: 'record-text', recordId: systemActive.id, markdown: interfaces }
      : {
          kind: 'not-recorded',
          what: 'the hardware the software runs on and its external interfaces, inputs and outputs (interfaces of the software system record)',
          clause: 'IEC 62304 5.3.2; FDA 2023 guidance VI.B',
        },
  );

  // Languages and platform, as far as the records name them.
  blocks.push({ kind: 'heading', level: 1, text: '6 Programming languages and platform' });
  const globs = [
    ...new Set([
      ...(config.codeTags?.sources ?? []),
      ...graph
        .ofKind('software-item')
        .filter(isActive)
        .flatMap((i) => (Array.isArray(i.fields.sourceFiles) ? (i.fields.sourceFiles as string[]) : [])),
    ]),
  ].sort();
  const languages = languagesOf(globs);
  const sbom = sbomOfBaseline(context);
  const ecosystems = new Map<string, number>();
  for (const c of sbom.components) {
    const record = graph.get(c.id);
    const ecosystem = record ? ecosystemOf(record) : undefined;
    const label = ecosystem
      ? (ECOSYSTEM_LABEL[ecosystem] ?? ecosystem)
      : 'no package ecosystem (libraries named by source repository or download)';
    ecosystems.set(label, (ecosystems.get(label) ?? 0) + 1);
  }
  blocks.push({
    kind: 'fields',
    rows: [
      [
        'Languages, by the file types the source globs name',
        languages.length > 0 ? [{ text: languages.join('; ') }] : [{ strong: 'none named' }],
      ],
      [
        'Source files named (codeTags.sources, sourceFiles)',
        globs.length > 0
          ? globs.flatMap((g, i): Inline[] => (i === 0 ? [{ code: g }] : [{ text: ', ' }, { code: g }]))
          : [{ strong: 'none' }],
      ],
      [
        'SOUP by package ecosystem',
        ecosystems.size > 0
          ? [
              {
                text: [...ecosystems]
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([l, n]) => `${l}: ${n}`)
                  .join('; '),
              },
            ]
          : [{ text: 'no SOUP' }],
      ],
    ],
  });
  blocks.push({
    kind: 'paragraph',
    inlines: [
      {
        text: 'No record field states the programming languages, the operating system or the runtime platform as such: the rows above are what the records name (file types of the source globs; globs without a file type say nothing about the language), and the SOUP List names the operating system and libraries used. Where the software system text (section 3) does not state them, it should.',
      },
    ],
  });

  // Off-the-shelf software.
  const direct = sbom.components.filter((c) => c.dependency !== 'transitive').sort(compareById);
  blocks.push(
    { kind: 'heading', level: 1, text: '7 Off-the-shelf software (SOUP)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `The software uses ${sbom.components.length} SOUP item${sbom.components.length === 1 ? '' : 's'}, ${sbom.components.length - direct.length} of them pulled in by other components. Those it names itself (or whose dependency relation is not recorded) follow; the SOUP List (SOUP) and the SBOM give every one.`,
        },
      ],
    },
  );
  if (direct.length > 0)
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'SOUP', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Version', width: 3 },
        { title: 'Used by', width: 4 },
      ],
      rows: direct.map((c) => {
        included.add(c.id);
        return [
          [{ ref: c.id }],
          [{ text: c.name }],
          [{ text: c.version }],
          c.usedBy.length > 0 ? [{ text: c.usedBy.join(', ') }] : [{ strong: 'no software item' }],
        ];
      }),
    });

  blocks.push(
    { kind: 'heading', level: 1, text: '8 Artificial intelligence and machine learning' },
    {
      kind: 'not-recorded',
      what: 'whether the software uses artificial intelligence or machine learning (no record field holds it; say so in the software system text)',
      clause: 'FDA 2023 guidance VI.B',
    },
  );

  // Versions and changes.
  blocks.push({ kind: 'heading', level: 1, text: '9 Version and changes' });
  const releases = graph.ofKind('release').filter(isActive).sort(byDateThenId);
  if (releases.length === 0)
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'No release record: no version of the software is released yet.' }],
    });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Release', width: 2 },
        { title: 'Version', width: 2 },
        { title: 'Date', width: 2 },
        { title: 'Change requests included', width: 6 },
      ],
      rows: releases.map((r) => {
        included.add(r.id);
        return [
          [{ ref: r.id }],
          [{ text: String(r.fields.version) }],
          typeof r.fields.date === 'string' ? [{ text: r.fields.date }] : [{ strong: 'not recorded' }],
          graph.targets(r, 'includes').length > 0
            ? refs(graph.targets(r, 'includes'))
            : [{ text: 'none recorded' }],
        ];
      }),
    });
  const released = new Set(releases.flatMap((r) => graph.targets(r, 'includes').map((c) => c.id)));
  const pending = graph
    .ofKind('change-request')
    .filter((c) => isActive(c) && !released.has(c.id) && c.fields.state !== 'rejected')
    .sort(compareById);
  if (context.release === undefined && pending.length > 0) {
    blocks.push(
      {
        kind: 'paragraph',
        inlines: [
          {
            text: `Version ${baseline} has no release record yet. Change requests that no release record includes (what the next release may hold; the Software Version History gives the details):`,
          },
        ],
      },
      {
        kind: 'list',
        items: pending.map((c) => {
          included.add(c.id);
          return [
            { ref: c.id },
            {
              text: ` ${c.title} (${typeof c.fields.state === 'string' ? c.fields.state : 'state not recorded'})`,
            },
          ];
        }),
      },
    );
  }
  return documentOf(context, 'DESCRIPTION', 'Software Description', blocks, included);
}

/** "C (.c); Rust (.rs)": the languages of the file types the globs end with, by name. */
function languagesOf(globs: readonly string[]): string[] {
  const byLanguage = new Map<string, Set<string>>();
  for (const glob of globs) {
    const ext = /\.([A-Za-z0-9]+)$/.exec(glob)?.[1]?.toLowerCase();
    const language = ext ? LANGUAGES[ext] : undefined;
    if (ext && language) byLanguage.set(language, (byLanguage.get(language) ?? new Set()).add(`.${ext}`));
  }
  return [...byLanguage]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([l, exts]) => `${l} (${[...exts].sort().join(', ')})`);
}

function byDateThenId(a: DossierRecord, b: DossierRecord): number {
  const da = typeof a.fields.date === 'string' ? a.fields.date : '9999';
  const db = typeof b.fields.date === 'string' ? b.fields.date : '9999';
  return da < db ? -1 : da > db ? 1 : compareById(a, b);
}
