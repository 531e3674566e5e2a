/**
 * The security architecture views of the FDA premarket cybersecurity guidance (V.B.2, Appendix 2),
 * drawn as SVG from the records through the `dossier security` report:
 *
 * - global system view: the interfaces of each threat model, grouped by the trust boundary they
 *   cross, external ones marked, each connected to the software system and items the model covers;
 * - multi-patient harm view: the security risks marked `multiPatientHarm`, from the entry points of
 *   their threats to the assets at stake (or a notice that no risk is marked, to be justified);
 * - updatability and patchability view: the controls in category `updatability`, the interfaces
 *   their threats enter through and the software items implementing them;
 * - security use case views: one panel per threat, entry point → threat → controls → assets.
 *
 * Layouts are columns of boxes joined by arrows; positions are integers computed from the report
 * alone (ids in order), so the same records give the same bytes. Every record text goes through
 * escapeXml and is shortened to fit its box.
 */
import { fitText, wrapText } from '../docs/architecture-diagram.js';
import { escapeXml } from '../util/xml.js';
import { SECURITY_VIEWS, type SecurityReport } from './security-report.js';

const WIDTH = 1000;
const MARGIN = 16;
const FONT = 'Helvetica, Arial, sans-serif';
const COLUMN_GAP = 56;
const NODE_GAP = 12;
const GROUP_GAP = 28;
const LINE = 14;

type Tone = 'normal' | 'external' | 'internal' | 'warn' | 'control' | 'risk' | 'asset' | 'system' | 'threat';

const TONES: Readonly<Record<Tone, { fill: string; stroke: string; label: string }>> = {
  external: { fill: '#fff3e0', stroke: '#e65100', label: 'External interface' },
  internal: { fill: '#eceff1', stroke: '#607d8b', label: 'Internal interface' },
  system: { fill: '#f5f5f5', stroke: '#263238', label: 'Software system and items' },
  threat: { fill: '#fffde7', stroke: '#f9a825', label: 'Threat' },
  risk: { fill: '#fce4ec', stroke: '#ad1457', label: 'Security risk' },
  control: { fill: '#e8f5e9', stroke: '#2e7d32', label: 'Security control' },
  asset: { fill: '#e3f2fd', stroke: '#1565c0', label: 'Asset' },
  warn: { fill: '#ffebee', stroke: '#c62828', label: 'Gap' },
  normal: { fill: '#ffffff', stroke: '#37474f', label: 'Not needed' },
};

interface ViewNode {
  readonly id: string;
  readonly title: string;
  readonly lines?: readonly string[];
  readonly tone: Tone;
  /** Nodes of a column with the same group are drawn inside one dashed box labelled with it. */
  readonly group?: string;
}

interface ViewEdge {
  readonly from: string;
  readonly to: string;
}

interface ColumnGraph {
  readonly columns: readonly { readonly heading: string; readonly nodes: readonly ViewNode[] }[];
  readonly edges: readonly ViewEdge[];
}

interface Placed {
  readonly node: ViewNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly titleLines: readonly string[];
  readonly lines: readonly string[];
}

/** Draws columns of boxes joined by arrows, from `top`; returns the SVG parts and the bottom. */
function columnGraph(graph: ColumnGraph, top: number, tones: Set<Tone>): { parts: string[]; bottom: number } {
  const n = Math.max(1, graph.columns.length);
  const colWidth = Math.floor((WIDTH - 2 * MARGIN - (n - 1) * COLUMN_GAP) / n);
  const parts: string[] = [];
  const placed = new Map<string, Placed>();
  let bottom = top;
  graph.columns.forEach((column, c) => {
    const x = MARGIN + c * (colWidth + COLUMN_GAP);
    parts.push(
      `<text x="${x}" y="${top + 12}" font-size="12" font-weight="bold" fill="#37474f">${escapeXml(fitText(column.heading, colWidth, 12, true))}</text>`,
    );
    let y = top + 24;
    let group: string | undefined;
    let groupStart = 0;
    const closeGroup = (end: number) => {
      if (group === undefined) return;
      parts.push(
        `<rect x="${x - 6}" y="${groupStart - 18}" width="${colWidth + 12}" height="${end - groupStart + 24}" rx="6" fill="none" stroke="#5c6bc0" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        `<text x="${x}" y="${groupStart - 5}" font-size="11" font-style="italic" fill="#3949ab">${escapeXml(fitText(`trust boundary: ${group}`, colWidth, 11))}</text>`,
      );
    };
    for (const node of column.nodes) {
      if (node.group !== group) {
        closeGroup(y - NODE_GAP);
        if (node.group !== undefined) y += GROUP_GAP;
        group = node.group;
        groupStart = y;
      }
      // Narrower than the box: renderers without Helvetica draw with a wider font (DejaVu Sans),
      // bold wider still.
      const titleLines = wrapText(node.title, Math.floor((colWidth - 16) * 0.8), 12, 2);
      const lines = (node.lines ?? []).flatMap((l) => wrapText(l, Math.floor((colWidth - 16) * 0.88), 11, 2));
      const ports = graph.edges.filter((e) => e.from === node.id).length;
      const portsIn = graph.edges.filter((e) => e.to === node.id).length;
      const h = Math.max(
        10 + titleLines.length * 16 + lines.length * LINE + 6,
        (Math.max(ports, portsIn) + 1) * 16,
      );
      placed.set(node.id, { node, x, y, w: colWidth, h, titleLines, lines });
      tones.add(node.tone);
      y += h + NODE_GAP;
    }
    closeGroup(y - NODE_GAP);
    if (group !== undefined) y += 8;
    bottom = Math.max(bottom, y);
  });

  // Ports: each edge leaves its source on the right and enters its target on the left, spread
  // along the side in the order of the other end.
  const edges = graph.edges.filter((e) => placed.has(e.from) && placed.has(e.to));
  const portY = new Map<string, number>();
  const spread = (id: string, side: 'out' | 'in') => {
    const box = placed.get(id)!;
    const mine = edges
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => (side === 'out' ? e.from : e.to) === id)
      .sort((a, b) => {
        const other = (x: ViewEdge) => placed.get(side === 'out' ? x.to : x.from)!;
        return other(a.e).y - other(b.e).y || a.i - b.i;
      });
    mine.forEach(({ i }, k) => {
      portY.set(`${side} ${i}`, Math.round(box.y + (box.h * (k + 1)) / (mine.length + 1)));
    });
  };
  for (const id of placed.keys()) {
    spread(id, 'out');
    spread(id, 'in');
  }
  edges.forEach((e, i) => {
    const a = placed.get(e.from)!;
    const b = placed.get(e.to)!;
    const x1 = a.x + a.w;
    const y1 = portY.get(`out ${i}`)!;
    const x2 = b.x - 2;
    const y2 = portY.get(`in ${i}`)!;
    const mid = Math.round((x1 + x2) / 2);
    parts.push(
      `<path d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}" fill="none" stroke="#546e7a" stroke-width="1.4" marker-end="url(#arrow)"/>`,
    );
  });

  for (const p of placed.values()) {
    const tone = TONES[p.node.tone];
    parts.push(
      `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" rx="4" fill="${tone.fill}" stroke="${tone.stroke}" stroke-width="${p.node.tone === 'warn' || p.node.tone === 'external' ? 2 : 1.2}"/>`,
      ...p.titleLines.map(
        (line, k) =>
          `<text x="${p.x + 8}" y="${p.y + 19 + k * 16}" font-size="12" font-weight="bold" fill="#1b1b1b">${escapeXml(line)}</text>`,
      ),
    );
    const first = p.y + 19 + p.titleLines.length * 16;
    p.lines.forEach((line, k) => {
      parts.push(
        `<text x="${p.x + 8}" y="${first + k * LINE}" font-size="11" fill="${p.node.tone === 'warn' ? '#b71c1c' : '#37474f'}">${escapeXml(line)}</text>`,
      );
    });
  }
  return { parts, bottom };
}

function svgDocument(
  title: string,
  subtitle: string,
  body: string[],
  bottom: number,
  tones: Set<Tone>,
): string {
  const legendTones = (Object.keys(TONES) as Tone[]).filter((t) => tones.has(t));
  const legendY = bottom + 12;
  const height = legendY + 34;
  const legend: string[] = [];
  let x = MARGIN;
  for (const t of legendTones) {
    const label = TONES[t].label;
    legend.push(
      `<rect x="${x}" y="${legendY}" width="14" height="14" rx="2" fill="${TONES[t].fill}" stroke="${TONES[t].stroke}"/>`,
      `<text x="${x + 20}" y="${legendY + 11}" font-size="11" fill="#37474f">${escapeXml(label)}</text>`,
    );
    x += 32 + Math.ceil(label.length * 6.2);
  }
  return `${[
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#546e7a"/></marker></defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="26" font-size="17" font-weight="bold" fill="#1b1b1b">${escapeXml(fitText(title, WIDTH - 2 * MARGIN, 17, true))}</text>`,
    `<text x="${MARGIN}" y="44" font-size="11" fill="#5f6368">${escapeXml(fitText(subtitle, WIDTH - 2 * MARGIN, 11))}</text>`,
    ...body,
    ...legend,
    '</svg>',
  ].join('\n')}\n`;
}

/** A notice across the page: what the view cannot show, and why. */
function notice(text: string, y: number, parts: string[], tones: Set<Tone>): number {
  // Narrower than the box: renderers without Helvetica draw with a wider font (DejaVu Sans).
  const lines = wrapText(text, Math.floor((WIDTH - 2 * MARGIN - 24) * 0.85), 12, 5);
  const h = 16 + lines.length * 16;
  tones.add('warn');
  parts.push(
    `<rect x="${MARGIN}" y="${y}" width="${WIDTH - 2 * MARGIN}" height="${h}" rx="4" fill="${TONES.warn.fill}" stroke="${TONES.warn.stroke}" stroke-width="2"/>`,
    ...lines.map(
      (l, k) =>
        `<text x="${MARGIN + 12}" y="${y + 22 + k * 16}" font-size="12" fill="#b71c1c">${escapeXml(l)}</text>`,
    ),
  );
  return y + h + 12;
}

function sectionTitle(text: string, y: number, parts: string[]): number {
  parts.push(
    `<text x="${MARGIN}" y="${y + 14}" font-size="14" font-weight="bold" fill="#263238">${escapeXml(fitText(text, WIDTH - 2 * MARGIN, 14, true))}</text>`,
  );
  return y + 24;
}

type Model = SecurityReport['threatModels'][number];
type Threat = SecurityReport['threats'][number];

function interfaceNode(i: Model['interfaces'][number], boundaryName: (key: string) => string): ViewNode {
  return {
    id: `if:${i.key}`,
    title: i.name,
    lines: [
      `${i.external ? 'EXTERNAL' : 'internal'} · ${i.key}${i.protocol ? ` · ${i.protocol}` : ''}`,
      i.threats.length > 0 ? `threats: ${i.threats.join(', ')}` : 'NO THREATS ASSESSED',
    ],
    tone: i.threats.length === 0 ? 'warn' : i.external ? 'external' : 'internal',
    ...(i.boundary ? { group: boundaryName(i.boundary) } : {}),
  };
}

function globalSystemView(report: SecurityReport): string {
  const title = `Global system view: ${report.device}`;
  const parts: string[] = [];
  const tones = new Set<Tone>();
  let y = 56;
  if (report.threatModels.length === 0) {
    y = notice('No threat model record: the global system view has nothing to show.', y, parts, tones);
  }
  for (const model of report.threatModels) {
    y = sectionTitle(`${model.id} ${model.title}`, y, parts);
    const boundaryName = (key: string) => model.trustBoundaries.find((b) => b.key === key)?.name ?? key;
    // Interfaces grouped by the boundary they cross, in the model's order of boundaries.
    const order = (i: Model['interfaces'][number]) => {
      const k = model.trustBoundaries.findIndex((b) => b.key === i.boundary);
      return i.boundary === undefined ? Number.MAX_SAFE_INTEGER : k === -1 ? model.trustBoundaries.length : k;
    };
    const interfaces = [...model.interfaces].sort((a, b) => order(a) - order(b));
    const system: ViewNode = {
      id: 'system',
      title: model.covers.length > 0 ? 'Software system' : 'Software system (no item covered)',
      lines:
        model.covers.length > 0
          ? model.covers.map((c) => `${c.id} ${c.title}`)
          : ['the threat model covers no software item'],
      tone: model.covers.length > 0 ? 'system' : 'warn',
    };
    const assets: ViewNode[] = model.assets.map((a) => ({
      id: `asset:${a.key}`,
      title: a.name,
      lines: [`${a.key}${a.patientSafety ? ' · patient safety' : ''}`],
      tone: 'asset',
    }));
    if (interfaces.length === 0) {
      y = notice(
        `${model.id} records no interfaces: every external connection belongs in the threat model.`,
        y,
        parts,
        tones,
      );
    }
    const graph = columnGraph(
      {
        columns: [
          {
            heading: 'Interfaces (by trust boundary crossed)',
            nodes: interfaces.map((i) => interfaceNode(i, boundaryName)),
          },
          { heading: 'Software in the threat model', nodes: [system] },
          { heading: 'Assets', nodes: assets },
        ],
        edges: [
          ...interfaces.map((i) => ({ from: `if:${i.key}`, to: 'system' })),
          ...model.assets.map((a) => ({ from: 'system', to: `asset:${a.key}` })),
        ],
      },
      y,
      tones,
    );
    parts.push(...graph.parts);
    y = graph.bottom + 12;
  }
  return svgDocument(
    title,
    'Every interface of the threat model, external ones marked; dashed boxes are trust boundaries (FDA premarket cybersecurity guidance, Appendix 2)',
    parts,
    y,
    tones,
  );
}

function interfacesOf(report: SecurityReport, threats: readonly Threat[]) {
  const all = report.threatModels.flatMap((m) => m.interfaces);
  const keys = [...new Set(threats.flatMap((t) => t.entryPoints))].sort();
  return keys.map((key) => {
    const found = all.find((i) => i.key === key);
    return { key, found };
  });
}

function assetsOf(report: SecurityReport, threats: readonly Threat[]) {
  const all = report.threatModels.flatMap((m) => m.assets);
  const keys = [...new Set(threats.flatMap((t) => t.assets))].sort();
  return keys.map((key) => ({ key, found: all.find((a) => a.key === key) }));
}

function entryNode(entry: { key: string; found?: Model['interfaces'][number] }): ViewNode {
  return entry.found
    ? {
        id: `if:${entry.key}`,
        title: entry.found.name,
        lines: [
          `${entry.found.external ? 'EXTERNAL' : 'internal'} · ${entry.key}${entry.found.protocol ? ` · ${entry.found.protocol}` : ''}`,
        ],
        tone: entry.found.external ? 'external' : 'internal',
      }
    : {
        id: `if:${entry.key}`,
        title: entry.key,
        lines: ['not an interface of any threat model'],
        tone: 'warn',
      };
}

function assetNode(asset: { key: string; found?: Model['assets'][number] }): ViewNode {
  return asset.found
    ? {
        id: `asset:${asset.key}`,
        title: asset.found.name,
        lines: [`${asset.key}${asset.found.patientSafety ? ' · patient safety' : ''}`],
        tone: 'asset',
      }
    : {
        id: `asset:${asset.key}`,
        title: asset.key,
        lines: ['not an asset of any threat model'],
        tone: 'warn',
      };
}

function multiPatientHarmView(report: SecurityReport): string {
  const title = `Multi-patient harm view: ${report.device}`;
  const parts: string[] = [];
  const tones = new Set<Tone>();
  let y = 56;
  const risks = report.risks.filter((r) => r.multiPatientHarm);
  if (risks.length === 0) {
    y = notice(
      'No security risk is marked multiPatientHarm. If no single compromise can harm several patients, the security risk management report must say why (FDA premarket cybersecurity guidance, Appendix 2).',
      y,
      parts,
      tones,
    );
  } else {
    const threats = report.threats.filter((t) => risks.some((r) => r.threats.includes(t.id)));
    const entries = interfacesOf(report, threats);
    const assets = assetsOf(report, threats);
    const graph = columnGraph(
      {
        columns: [
          { heading: 'Entry points', nodes: entries.map(entryNode) },
          {
            heading: 'Threats',
            nodes: threats.map((t) => ({
              id: t.id,
              title: `${t.id} ${t.title}`,
              lines: [t.stride.join(', ')],
              tone: 'threat' as const,
            })),
          },
          {
            heading: 'Multi-patient security risks',
            nodes: risks.map((r) => ({
              id: r.id,
              title: `${r.id} ${r.title}`,
              lines: [
                `controls: ${r.controls.length > 0 ? r.controls.join(', ') : 'NONE'}`,
                `leads to: ${r.hazardousSituations.length > 0 ? r.hazardousSituations.map((h) => h.id).join(', ') : 'no hazardous situation linked'}`,
              ],
              tone: r.controls.length > 0 ? ('risk' as const) : ('warn' as const),
            })),
          },
          { heading: 'Assets at stake', nodes: assets.map(assetNode) },
        ],
        edges: [
          ...threats.flatMap((t) => t.entryPoints.map((k) => ({ from: `if:${k}`, to: t.id }))),
          ...risks.flatMap((r) => r.threats.map((t) => ({ from: t, to: r.id }))),
          ...risks.flatMap((r) =>
            [...new Set(threats.filter((t) => r.threats.includes(t.id)).flatMap((t) => t.assets))]
              .sort()
              .map((a) => ({ from: r.id, to: `asset:${a}` })),
          ),
        ],
      },
      y,
      tones,
    );
    parts.push(...graph.parts);
    y = graph.bottom + 12;
  }
  return svgDocument(
    title,
    'How one compromise could harm many patients: from the entry point to the assets, through the risks marked multiPatientHarm',
    parts,
    y,
    tones,
  );
}

function updatabilityView(
  report: SecurityReport,
  itemsOf: (control: string) => readonly { id: string; title: string }[],
): string {
  const title = `Updatability and patchability view: ${report.device}`;
  const parts: string[] = [];
  const tones = new Set<Tone>();
  let y = 56;
  const controls = report.controls.filter((c) => c.categories.includes('updatability'));
  if (controls.length === 0) {
    y = notice(
      'No security control in category updatability (Firmware and software updates): the end-to-end update path to fielded devices is not described by any control.',
      y,
      parts,
      tones,
    );
  } else {
    const threatIds = new Set(
      controls.flatMap((c) => report.risks.filter((r) => c.risks.includes(r.id)).flatMap((r) => r.threats)),
    );
    const threats = report.threats.filter((t) => threatIds.has(t.id));
    const entries = interfacesOf(report, threats);
    const items = new Map<string, { id: string; title: string }>();
    for (const c of controls) for (const i of itemsOf(c.id)) items.set(i.id, i);
    const itemNodes: ViewNode[] = [...items.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((i) => ({ id: `item:${i.id}`, title: `${i.id} ${i.title}`, tone: 'system' }));
    const graph = columnGraph(
      {
        columns: [
          { heading: 'Interfaces of the update path', nodes: entries.map(entryNode) },
          {
            heading: 'Updatability controls',
            nodes: controls.map((c) => ({
              id: c.id,
              title: `${c.id} ${c.title}`,
              lines: [
                `requirements: ${c.requirements.length > 0 ? c.requirements.join(', ') : 'MISSING'}`,
                `verified by: ${[...c.tests, ...c.securityTests].join(', ') || 'MISSING'}`,
              ],
              tone: 'control' as const,
            })),
          },
          {
            heading: 'Software items implementing them',
            nodes:
              itemNodes.length > 0
                ? itemNodes
                : [
                    {
                      id: 'no-items',
                      title: 'No software item',
                      lines: ['no item implements their requirements'],
                      tone: 'warn' as const,
                    },
                  ],
          },
        ],
        edges: [
          ...controls.flatMap((c) =>
            entries
              .filter((e) =>
                threats.some(
                  (t) =>
                    t.entryPoints.includes(e.key) &&
                    report.risks.some((r) => c.risks.includes(r.id) && r.threats.includes(t.id)),
                ),
              )
              .map((e) => ({ from: `if:${e.key}`, to: c.id })),
          ),
          ...controls.flatMap((c) => {
            const mine = itemsOf(c.id);
            return mine.length > 0
              ? mine.map((i) => ({ from: c.id, to: `item:${i.id}` }))
              : [{ from: c.id, to: 'no-items' }];
          }),
        ],
      },
      y,
      tones,
    );
    parts.push(...graph.parts);
    y = graph.bottom + 12;
  }
  return svgDocument(
    title,
    'The path updates and patches take to fielded devices: update interfaces, the controls that protect them, the software they change',
    parts,
    y,
    tones,
  );
}

function useCaseViews(report: SecurityReport): string {
  const title = `Security use case views: ${report.device}`;
  const parts: string[] = [];
  const tones = new Set<Tone>();
  let y = 56;
  if (report.threats.length === 0) {
    y = notice('No threat record: there is no security use case to draw.', y, parts, tones);
  }
  for (const threat of report.threats) {
    y = sectionTitle(`${threat.id} ${threat.title}`, y, parts);
    const risks = report.risks.filter((r) => threat.risks.includes(r.id));
    const controls = report.controls.filter((c) => risks.some((r) => c.risks.includes(r.id)));
    const entries = interfacesOf(report, [threat]);
    const assets = assetsOf(report, [threat]);
    const controlNodes: ViewNode[] =
      controls.length > 0
        ? controls.map((c) => ({
            id: c.id,
            title: `${c.id} ${c.title}`,
            lines: [c.categories.join(', ')],
            tone: 'control',
          }))
        : risks.length > 0 && risks.every((r) => r.initial?.acceptable === true)
          ? [
              {
                id: 'no-control',
                title: 'Control not needed',
                lines: ['risks acceptable before control'],
                tone: 'normal',
              },
            ]
          : [
              {
                id: 'no-control',
                title: 'No security control',
                lines: [risks.length > 0 ? 'its risks have no control' : 'no security risk assessed'],
                tone: 'warn',
              },
            ];
    const graph = columnGraph(
      {
        columns: [
          {
            heading: 'Entry point',
            nodes:
              entries.length > 0
                ? entries.map(entryNode)
                : [
                    {
                      id: 'no-entry',
                      title: 'No entry point',
                      lines: ['the threat names none'],
                      tone: 'warn',
                    },
                  ],
          },
          {
            heading: 'Threat',
            nodes: [
              {
                id: threat.id,
                title: threat.stride.join(', '),
                lines: [
                  ...(threat.attackPath ? [threat.attackPath] : []),
                  `risks: ${threat.risks.length > 0 ? threat.risks.join(', ') : 'NONE'}`,
                ],
                tone: 'threat',
              },
            ],
          },
          { heading: 'Controls', nodes: controlNodes },
          {
            heading: 'Asset',
            nodes:
              assets.length > 0
                ? assets.map(assetNode)
                : [{ id: 'no-asset', title: 'No asset', lines: ['the threat names none'], tone: 'warn' }],
          },
        ],
        edges: [
          ...(entries.length > 0
            ? entries.map((e) => ({ from: `if:${e.key}`, to: threat.id }))
            : [{ from: 'no-entry', to: threat.id }]),
          ...controlNodes.map((c) => ({ from: threat.id, to: c.id })),
          ...controlNodes.flatMap((c) =>
            (assets.length > 0 ? assets.map((a) => `asset:${a.key}`) : ['no-asset']).map((to) => ({
              from: c.id,
              to,
            })),
          ),
        ],
      },
      y,
      tones,
    );
    parts.push(...graph.parts);
    y = graph.bottom + 16;
  }
  return svgDocument(
    title,
    'Per threat: where the attack enters, what it is, the controls in its way, and the asset it targets',
    parts,
    y,
    tones,
  );
}

export interface SecurityView {
  readonly key: string;
  readonly title: string;
  readonly file: string;
  readonly svg: string;
}

/**
 * The four views, in the order of the guidance. `itemsOf` gives the software items implementing a
 * control's requirements (for the updatability view).
 */
export function securityViews(
  report: SecurityReport,
  itemsOf: (control: string) => readonly { id: string; title: string }[],
): SecurityView[] {
  const svg: Record<(typeof SECURITY_VIEWS)[number]['key'], string> = {
    'global-system': globalSystemView(report),
    'multi-patient-harm': multiPatientHarmView(report),
    updatability: updatabilityView(report, itemsOf),
    'security-use-cases': useCaseViews(report),
  };
  return SECURITY_VIEWS.map((v) => ({ ...v, svg: svg[v.key] }));
}
