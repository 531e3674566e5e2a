import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { RISK_FORMATS } from '../report-formats.js';
import { csvLine } from '../util/csv.js';
import { markdownCell } from '../util/markdown.js';
import { textTable } from '../util/text-table.js';
import { escapeXml } from '../util/xml.js';
import { DOSSIER_VERSION } from '../version.js';
import type { RiskEstimate, SituationRisk } from './risk-evaluation.js';
import type { RiskPolicy } from './risk-policy.js';
import type { SafetyAnalysis } from './safety-analysis.js';
import { softwareRiskTraceMarkdown } from './software-risk-trace.js';

export { RISK_FORMATS };

export type RiskFormat = (typeof RISK_FORMATS)[number];
export type MatrixPhase = 'initial' | 'residual';

/** The ISO 14971 7.1 option of a risk control, in words. */
export const OPTION_LABEL: Record<string, string> = {
  'inherent-safety': 'inherent safety by design',
  'protective-measure': 'protective measure',
  'information-for-safety': 'information for safety',
};

function estimateText(e: RiskEstimate | undefined): string {
  return e ? `${e.severity.label} × ${e.probability.label}` : 'not evaluated';
}

function verdict(e: RiskEstimate | undefined): string {
  return e ? (e.acceptable ? 'acceptable' : 'UNACCEPTABLE') : '—';
}

/** One row per hazardous situation: the ISO 14971 chain from initial to residual risk. */
export interface RiskRow {
  readonly id: string;
  readonly title: string;
  readonly hazards: readonly string[];
  readonly harm: string;
  readonly initial: string;
  readonly initialBasis: string;
  readonly initialAcceptability: string;
  readonly controls: readonly string[];
  readonly residual: string;
  readonly residualAcceptability: string;
  readonly benefitRiskNeeded: boolean;
  readonly implementationVerifiedBy: readonly string[];
  readonly effectivenessVerifiedBy: readonly string[];
  readonly contributors: readonly string[];
}

export function riskRows(risks: readonly SituationRisk[]): RiskRow[] {
  return [...risks]
    .sort((a, b) => (a.situation.id < b.situation.id ? -1 : 1))
    .map((r) => ({
      id: r.situation.id,
      title: r.situation.title,
      hazards: (r.situation.links.arisesFrom ?? []).slice(),
      harm: typeof r.situation.fields.harm === 'string' ? r.situation.fields.harm : '',
      initial: estimateText(r.initial),
      initialBasis: r.initial?.basis ?? '',
      initialAcceptability: verdict(r.initial),
      controls: r.controls.map(
        (c) =>
          `${c.control.id} (${OPTION_LABEL[String(c.control.fields.option)] ?? String(c.control.fields.option)}; ${String(c.control.fields.implementedIn)})`,
      ),
      residual: estimateText(r.residual),
      residualAcceptability: verdict(r.residual),
      benefitRiskNeeded: r.benefitRiskNeeded,
      implementationVerifiedBy: [
        ...new Set(r.controls.flatMap((c) => c.implementation.map((t) => t.id))),
      ].sort(),
      effectivenessVerifiedBy: [
        ...new Set(r.controls.flatMap((c) => c.effectiveness.map((t) => t.id))),
      ].sort(),
      contributors: r.contributors.map((c) => c.id),
    }));
}

/** Counts and ids of situations per (severity, probability) cell. */
export interface RiskMatrix {
  readonly phase: MatrixPhase;
  /** Rows from most to least severe. */
  readonly rows: readonly {
    readonly severity: string;
    readonly cells: readonly { probability: string; acceptable: boolean; situations: readonly string[] }[];
  }[];
  /** Situations without an estimate in this phase. */
  readonly unplaced: readonly string[];
}

export function riskMatrix(
  policy: RiskPolicy,
  risks: readonly SituationRisk[],
  phase: MatrixPhase,
): RiskMatrix {
  const unplaced: string[] = [];
  const rows = [...policy.severities].reverse().map((severity) => ({
    severity: severity.label,
    cells: policy.probabilities.map((probability) => ({
      probability: probability.label,
      acceptable: policy.acceptability(severity, probability) === 'acceptable',
      situations: [] as string[],
    })),
  }));
  for (const risk of [...risks].sort((a, b) => (a.situation.id < b.situation.id ? -1 : 1))) {
    const e = phase === 'initial' ? risk.initial : risk.residual;
    if (!e) {
      unplaced.push(risk.situation.id);
      continue;
    }
    rows[policy.severities.length - 1 - e.severity.index]!.cells[e.probability.index]!.situations.push(
      risk.situation.id,
    );
  }
  return { phase, rows, unplaced };
}

const PHASE_TITLE: Record<MatrixPhase, string> = {
  initial: 'Risk matrix before risk control (initial risk)',
  residual: 'Risk matrix after risk control (residual risk)',
};

function matrixText(m: RiskMatrix, policy: RiskPolicy): string {
  const header = ['Severity \\ Probability', ...policy.probabilities.map((p) => p.label)];
  const body = m.rows.map((r) => [
    r.severity,
    ...r.cells.map((c) => `${c.situations.length || '.'}${c.acceptable ? '' : '!'}`),
  ]);
  return [
    PHASE_TITLE[m.phase],
    ...textTable(header, body),
    '(count of hazardous situations; ! marks an unacceptable cell)',
    ...(m.unplaced.length ? [`not evaluated: ${m.unplaced.join(', ')}`] : []),
  ].join('\n');
}

function matrixMarkdown(m: RiskMatrix, policy: RiskPolicy): string {
  const cell = (c: RiskMatrix['rows'][number]['cells'][number]) =>
    `${c.acceptable ? '' : '⚠ '}${c.situations.length ? `${c.situations.length}: ${c.situations.join(', ')}` : '–'}`;
  return [
    `### ${PHASE_TITLE[m.phase]}`,
    '',
    `| Severity \\ Probability | ${policy.probabilities.map((p) => markdownCell(p.label)).join(' | ')} |`,
    `| --- | ${policy.probabilities.map(() => '---').join(' | ')} |`,
    ...m.rows.map((r) => `| **${markdownCell(r.severity)}** | ${r.cells.map(cell).join(' | ')} |`),
    '',
    '⚠ marks cells whose risk is unacceptable under the risk management plan.',
    ...(m.unplaced.length ? ['', `Not evaluated: ${m.unplaced.join(', ')}.`] : []),
  ].join('\n');
}

/** A risk matrix as a standalone SVG image for documents. Deterministic; all text escaped. */
export function matrixSvg(m: RiskMatrix, policy: RiskPolicy, deviceName: string): string {
  const cellW = 112;
  const cellH = 64;
  const left = 150;
  const top = 70;
  const cols = policy.probabilities.length;
  const width = left + cols * cellW + 20;
  const height = top + m.rows.length * cellH + 70;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img" aria-label="${escapeXml(PHASE_TITLE[m.phase])}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeXml(PHASE_TITLE[m.phase])}</text>`,
    `<text x="${left}" y="44" font-size="12" fill="#444">${escapeXml(deviceName)}: number of hazardous situations per cell</text>`,
  ];
  m.rows.forEach((row, r) => {
    const y = top + r * cellH;
    parts.push(
      `<text x="${left - 10}" y="${y + cellH / 2 + 4}" font-size="12" text-anchor="end">${escapeXml(row.severity)}</text>`,
    );
    row.cells.forEach((cell, c) => {
      const x = left + c * cellW;
      const fill = cell.acceptable ? '#dff0d8' : '#f2c4c4';
      parts.push(
        `<rect x="${x}" y="${y}" width="${cellW}" height="${cellH}" fill="${fill}" stroke="#666" stroke-width="1"/>`,
      );
      if (cell.situations.length > 0) {
        parts.push(
          `<text x="${x + cellW / 2}" y="${y + 24}" font-size="18" font-weight="bold" text-anchor="middle">${cell.situations.length}</text>`,
        );
        // Two ids per line, two lines at most, so the ids always fit the cell.
        const ids = cell.situations;
        const lines = [
          ids.slice(0, 2).join(' '),
          ids.length > 4 ? `${ids[2]} +${ids.length - 3} more` : ids.slice(2, 4).join(' '),
        ];
        lines
          .filter((l) => l !== '')
          .forEach((l, i) => {
            parts.push(
              `<text x="${x + cellW / 2}" y="${y + 40 + i * 12}" font-size="9.5" text-anchor="middle" fill="#333">${escapeXml(l)}</text>`,
            );
          });
      }
    });
  });
  const bottom = top + m.rows.length * cellH;
  policy.probabilities.forEach((p, c) => {
    parts.push(
      `<text x="${left + c * cellW + cellW / 2}" y="${bottom + 18}" font-size="12" text-anchor="middle">${escapeXml(p.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${left + (cols * cellW) / 2}" y="${bottom + 40}" font-size="12" text-anchor="middle" fill="#444">Probability of harm →</text>`,
    `<text x="16" y="${top + (m.rows.length * cellH) / 2}" font-size="12" fill="#444" transform="rotate(-90 16 ${top + (m.rows.length * cellH) / 2})" text-anchor="middle">Severity →</text>`,
    `<rect x="${left}" y="${bottom + 50}" width="12" height="12" fill="#dff0d8" stroke="#666"/><text x="${left + 18}" y="${bottom + 60}" font-size="11">acceptable</text>`,
    `<rect x="${left + 100}" y="${bottom + 50}" width="12" height="12" fill="#f2c4c4" stroke="#666"/><text x="${left + 118}" y="${bottom + 60}" font-size="11">unacceptable</text>`,
  );
  if (m.unplaced.length) {
    parts.push(
      `<text x="${left + 230}" y="${bottom + 60}" font-size="11" fill="#a00">not evaluated: ${escapeXml(m.unplaced.join(', '))}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function tableText(rows: readonly RiskRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    out.push(`${r.id}  ${r.title}`);
    out.push(
      `  initial:  ${r.initial} → ${r.initialAcceptability}${r.initialBasis ? ` (${r.initialBasis})` : ''}`,
    );
    out.push(`  controls: ${r.controls.length ? r.controls.join(', ') : 'none'}`);
    out.push(
      `  residual: ${r.residual} → ${r.residualAcceptability}${r.benefitRiskNeeded ? ' — benefit–risk analysis needed' : ''}`,
    );
    out.push(
      `  verified: implementation ${r.implementationVerifiedBy.join(', ') || 'none'}; effectiveness ${r.effectivenessVerifiedBy.join(', ') || 'none'}`,
    );
  }
  return out.join('\n');
}

function tableMarkdown(rows: readonly RiskRow[]): string {
  return [
    '| Hazardous situation | Harm | Initial risk | Risk controls (priority order) | Residual risk | Verification |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| **${r.id}** ${markdownCell(r.title)} | ${markdownCell(r.harm)} | ${markdownCell(r.initial)}: ${r.initialAcceptability} | ${r.controls.map(markdownCell).join('<br>') || 'none'} | ${markdownCell(r.residual)}: ${r.residualAcceptability}${r.benefitRiskNeeded ? ' (benefit–risk needed)' : ''} | impl. ${r.implementationVerifiedBy.length}, eff. ${r.effectivenessVerifiedBy.length} tests |`,
    ),
  ].join('\n');
}

function tableCsv(rows: readonly RiskRow[]): string {
  const header = [
    'Hazardous situation',
    'Title',
    'Hazards',
    'Harm',
    'Initial risk',
    'Initial acceptability',
    'Risk controls',
    'Residual risk',
    'Residual acceptability',
    'Benefit-risk needed',
    'Implementation verified by',
    'Effectiveness verified by',
    'Contributing items',
  ];
  const lines = [csvLine(header)];
  for (const r of rows) {
    lines.push(
      csvLine([
        r.id,
        r.title,
        r.hazards.join(' '),
        r.harm,
        r.initial,
        r.initialAcceptability,
        r.controls.join('; '),
        r.residual,
        r.residualAcceptability,
        r.benefitRiskNeeded ? 'yes' : 'no',
        r.implementationVerifiedBy.join(' '),
        r.effectivenessVerifiedBy.join(' '),
        r.contributors.join(' '),
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function riskReport(safety: SafetyAnalysis) {
  const policy = safety.policy;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    situations: riskRows(safety.risks),
    softwareRiskTrace: safety.softwareRiskTrace,
    matrices: policy
      ? {
          initial: riskMatrix(policy, safety.risks, 'initial'),
          residual: riskMatrix(policy, safety.risks, 'residual'),
        }
      : null,
  };
}

/** Renders `dossier risk` output. `svg` renders one matrix (`phase`). */
export function renderRisk(
  safety: SafetyAnalysis,
  format: RiskFormat,
  deviceName: string,
  phase: MatrixPhase = 'initial',
): string {
  const rows = riskRows(safety.risks);
  const policy = safety.policy;
  const noPolicy =
    'No risk policy in dossier.yaml: add `risk:` scales and an acceptability matrix to evaluate risks.';
  /** The matrices before and after risk control, rendered one way, or why there are none. */
  const bothMatrices = (render: (m: RiskMatrix, p: RiskPolicy) => string) =>
    policy
      ? [
          render(riskMatrix(policy, safety.risks, 'initial'), policy),
          '',
          render(riskMatrix(policy, safety.risks, 'residual'), policy),
        ]
      : [noPolicy];
  switch (format) {
    case 'json':
      return `${JSON.stringify(riskReport(safety), null, 2)}\n`;
    case 'csv':
      return tableCsv(rows);
    case 'svg':
      if (!policy) throw new Error(noPolicy);
      return matrixSvg(riskMatrix(policy, safety.risks, phase), policy, deviceName);
    case 'markdown':
      return `${[
        `## Risk evaluation: ${markdownCell(deviceName)}`,
        '',
        tableMarkdown(rows),
        '',
        softwareRiskTraceMarkdown(safety.softwareRiskTrace),
        ...bothMatrices(matrixMarkdown),
      ].join('\n')}\n`;
    default:
      return `${[tableText(rows), '', ...bothMatrices(matrixText)].join('\n')}\n`;
  }
}
