/**
 * `dossier impact` output: text, Markdown and JSON. The JSON is a versioned contract
 * (schemas/impact-report.schema.json, docs/change-impact.md); within a `schemaVersion` fields are
 * only added.
 */
import { z } from 'zod';
import { IMPACT_FORMATS } from '../report-formats.js';
import { DOSSIER_VERSION } from '../version.js';
import { describePath, type ImpactAnalysis, type ImpactedRecord, type ImpactStep } from './impact.js';

export { IMPACT_FORMATS };

export type ImpactFormat = (typeof IMPACT_FORMATS)[number];

export const IMPACT_SCHEMA_VERSION = 1;

const stepSchema = z.strictObject({
  from: z.string(),
  field: z.string().describe('The link (or field) followed'),
  to: z.string(),
  direction: z
    .enum(['forward', 'backward'])
    .describe('forward: the link is written on `from`; backward: on `to`'),
});
const recordRef = {
  id: z.string(),
  kind: z.string(),
  title: z.string(),
};
const reachedSchema = z.strictObject({
  ...recordRef,
  reason: z.string().describe('How the record is in the impact, in words'),
  path: z.array(stepSchema).describe('The links from a changed record to this one'),
});

export const impactReportSchema = z
  .strictObject({
    schemaVersion: z.literal(IMPACT_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
    changeRequest: z.string().describe('The change request analysed, when one was named').optional(),
    changed: z.array(z.strictObject(recordRef)).describe('The records the change modifies'),
    upstream: z.array(reachedSchema).describe('What the changed records trace to'),
    downstream: z.array(reachedSchema).describe('What derives from the changed records'),
    containers: z.array(reachedSchema).describe('Software items that contain a changed item'),
    classes: z
      .array(z.strictObject({ class: z.string(), records: z.array(z.string()) }))
      .describe('Safety classes of the items, requirements and SOUP in the impact, most rigorous first'),
    risk: z.strictObject({
      situations: z
        .array(
          z.strictObject({
            ...recordRef,
            reason: z.string(),
            path: z.array(stepSchema),
            severity: z.string().optional(),
            probability: z.string().optional(),
            residualSeverity: z.string().optional(),
            residualProbability: z.string().optional(),
            residualAcceptable: z.boolean().optional(),
          }),
        )
        .describe('Hazardous situations whose causes and estimates to revisit (7.4.2)'),
      controls: z
        .array(
          z.strictObject({
            ...recordRef,
            reason: z.string(),
            path: z.array(stepSchema),
            tests: z.array(z.string()),
          }),
        )
        .describe('Risk control measures to revisit (7.4.2, 7.4.3)'),
    }),
    tests: z
      .array(
        z.strictObject({
          ...recordRef,
          level: z.string().optional(),
          reason: z.string(),
          path: z.array(stepSchema),
        }),
      )
      .describe('The regression test selection, each with its reason'),
    unresolved: z
      .array(z.strictObject({ from: z.string(), field: z.string(), target: z.string() }))
      .describe('Links in the impact that do not resolve: the impact beyond them is not analysed'),
  })
  .describe('dossier impact --format json');

export type ImpactReport = z.infer<typeof impactReportSchema>;

const ref = (r: { id: string; kind: string; title: string }) => ({ id: r.id, kind: r.kind, title: r.title });
const reached = (r: ImpactedRecord) => ({
  ...ref(r.record),
  reason: describePath(r.path, r.record),
  path: r.path.map(step),
});
const step = (s: ImpactStep) => ({ from: s.from, field: s.field, to: s.to, direction: s.direction });

export function impactReport(analysis: ImpactAnalysis, changeRequest?: string): ImpactReport {
  return {
    schemaVersion: IMPACT_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    ...(changeRequest ? { changeRequest } : {}),
    changed: analysis.changed.map(ref),
    upstream: analysis.upstream.map(reached),
    downstream: analysis.downstream.map(reached),
    containers: analysis.containers.map(reached),
    classes: analysis.classes.map((c) => ({ class: c.cls, records: [...c.records] })),
    risk: {
      situations: analysis.situations.map((s) => ({
        ...ref(s.situation),
        reason: describePath(s.path, s.situation),
        path: s.path.map(step),
        ...(s.severity !== undefined ? { severity: s.severity } : {}),
        ...(s.probability !== undefined ? { probability: s.probability } : {}),
        ...(s.residualSeverity !== undefined ? { residualSeverity: s.residualSeverity } : {}),
        ...(s.residualProbability !== undefined ? { residualProbability: s.residualProbability } : {}),
        ...(s.residualAcceptable !== undefined ? { residualAcceptable: s.residualAcceptable } : {}),
      })),
      controls: analysis.controls.map((c) => ({
        ...ref(c.control),
        reason: describePath(c.path, c.control),
        path: c.path.map(step),
        tests: [...c.tests],
      })),
    },
    tests: analysis.tests.map((t) => ({
      ...ref(t.test),
      ...(typeof t.test.fields.level === 'string' ? { level: t.test.fields.level } : {}),
      reason: t.reason,
      path: t.path.map(step),
    })),
    unresolved: analysis.unresolved.map((u) => ({ ...u })),
  };
}

export function renderImpact(report: ImpactReport, format: ImpactFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'markdown' ? renderMarkdown(report) : renderText(report);
}

const estimate = (s: ImpactReport['risk']['situations'][number]) => {
  const before = s.severity ? `${s.severity}${s.probability ? ` × ${s.probability}` : ''}` : 'not estimated';
  const after = s.residualSeverity
    ? `${s.residualSeverity}${s.residualProbability ? ` × ${s.residualProbability}` : ''}${s.residualAcceptable === false ? ' (not acceptable)' : ''}`
    : 'not evaluated';
  return `before control ${before}; residual ${after}`;
};

function heading(report: ImpactReport): string {
  const what = report.changeRequest ?? report.changed.map((c) => c.id).join(', ');
  return `Change impact of ${what}`;
}

function renderText(report: ImpactReport): string {
  const out: string[] = [`${heading(report)} (IEC 62304 6.2.3, 7.4, 8.2.1)`, ''];
  const section = (title: string, lines: readonly string[]) => {
    out.push(`${title}${lines.length === 0 ? ': none' : ''}`);
    for (const line of lines) out.push(`  ${line}`);
    out.push('');
  };
  section(
    'Changed',
    report.changed.map((c) => `${c.id}  ${c.title}`),
  );
  section(
    'Downstream (derives from the change: revise and re-verify)',
    report.downstream.map((r) => `${r.id}  ${r.title} — ${r.reason}`),
  );
  section(
    'Upstream (what the change must still satisfy)',
    report.upstream.map((r) => `${r.id}  ${r.title} — ${r.reason}`),
  );
  section(
    'Containing items (integration affected)',
    report.containers.map((r) => `${r.id}  ${r.title} — ${r.reason}`),
  );
  section(
    'Safety classes involved',
    report.classes.map((c) => `class ${c.class}: ${c.records.join(', ')}`),
  );
  section(
    'Hazardous situations to revisit (7.4.2)',
    report.risk.situations.map((s) => `${s.id}  ${s.title} — ${estimate(s)} — ${s.reason}`),
  );
  section(
    'Risk controls to revisit (7.4.2, 7.4.3)',
    report.risk.controls.map(
      (c) =>
        `${c.id}  ${c.title} — ${c.reason}; verified by ${c.tests.length > 0 ? c.tests.join(', ') : 'no test'}`,
    ),
  );
  section(
    `Regression tests (${report.tests.length})`,
    report.tests.map((t) => `${t.id}  ${t.title}${t.level ? ` [${t.level}]` : ''} — ${t.reason}`),
  );
  if (report.unresolved.length > 0)
    section(
      'NOT ANALYSED: links that do not resolve (the impact beyond them is unknown)',
      report.unresolved.map((u) => `${u.from}.${u.field} → ${u.target}`),
    );
  return `${out.join('\n').trimEnd()}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function renderMarkdown(report: ImpactReport): string {
  const out: string[] = [`# ${heading(report)}`, '', '_IEC 62304 6.2.3, 7.4, 8.2.1; ISO 13485 7.3.9_', ''];
  const table = (title: string, head: readonly string[], rows: readonly (readonly string[])[]) => {
    out.push(`## ${title}`, '');
    if (rows.length === 0) out.push('None.', '');
    else {
      out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
      for (const row of rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
    }
  };
  table(
    'Changed',
    ['id', 'title'],
    report.changed.map((c) => [c.id, c.title]),
  );
  const reachedRows = (list: ImpactReport['downstream']) => list.map((r) => [r.id, r.title, r.reason]);
  table('Downstream', ['id', 'title', 'reason'], reachedRows(report.downstream));
  table('Upstream', ['id', 'title', 'reason'], reachedRows(report.upstream));
  table('Containing items', ['id', 'title', 'reason'], reachedRows(report.containers));
  table(
    'Safety classes involved',
    ['class', 'records'],
    report.classes.map((c) => [c.class, c.records.join(', ')]),
  );
  table(
    'Hazardous situations to revisit (7.4.2)',
    ['id', 'title', 'estimate', 'reason'],
    report.risk.situations.map((s) => [s.id, s.title, estimate(s), s.reason]),
  );
  table(
    'Risk controls to revisit (7.4.2, 7.4.3)',
    ['id', 'title', 'tests', 'reason'],
    report.risk.controls.map((c) => [c.id, c.title, c.tests.join(', ') || 'none', c.reason]),
  );
  table(
    'Regression tests',
    ['test', 'title', 'level', 'reason'],
    report.tests.map((t) => [t.id, t.title, t.level ?? '', t.reason]),
  );
  if (report.unresolved.length > 0)
    table(
      'Not analysed: links that do not resolve',
      ['from', 'field', 'target'],
      report.unresolved.map((u) => [u.from, u.field, u.target]),
    );
  return `${out.join('\n').trimEnd()}\n`;
}
