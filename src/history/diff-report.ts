/**
 * `dossier diff` as text, Markdown and JSON. The JSON is a versioned contract
 * (schemas/diff-report.schema.json, docs/history.md): within a `schemaVersion`, fields are only added.
 */
import { z } from 'zod';
import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { DIFF_FORMATS } from '../report-formats.js';
import { DOSSIER_VERSION } from '../version.js';
import type { DiffSide, EstimateValue, ProjectDiff } from './diff.js';
import { fenced, partLines, shownChange, textDiffLines } from './shown-values.js';

export { DIFF_FORMATS };

export type DiffFormat = (typeof DIFF_FORMATS)[number];

const side = z.strictObject({
  revision: z.string().describe('The revision as named (tag, branch, commit, release version, or WORKTREE)'),
  commit: z.string().describe('The commit read; absent for the working tree').optional(),
});
const recordRef = {
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  file: z.string().describe('Project-relative file (for a changed record: where it is after)'),
};
const partChange = z.strictObject({
  part: z.string().describe('kind, title, tags, text, a field or link name; status and approval fields'),
  before: z
    .unknown()
    .describe('Value before (canonical form: text normalised, links sorted); absent: none')
    .optional(),
  after: z.unknown().describe('Value after; absent: none').optional(),
  content: z
    .boolean()
    .describe('Part of the content fingerprint (false: status, approvedBy, approvedOn, linkReviews)'),
});
const link = z.strictObject({ source: z.string(), field: z.string(), target: z.string() });
const valueChange = z.strictObject({
  id: z.string(),
  title: z.string(),
  before: z.string().describe('Absent: not there before').optional(),
  after: z.string().describe('Absent: not there after').optional(),
});
const estimate = z
  .strictObject({ severity: z.string(), probability: z.string(), acceptable: z.boolean() })
  .nullable()
  .describe('null: not estimated');

export const diffReportSchema = z
  .strictObject({
    schemaVersion: z.literal(JSON_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
    before: side,
    after: side,
    complete: z.boolean().describe('False when record files did not load on a side: the diff is incomplete'),
    notLoaded: z.array(
      z.strictObject({
        side: z.enum(['before', 'after']),
        file: z.string(),
        reason: z.string(),
        ids: z.array(z.string()).describe('Ids the file is known to hold: left out of added and removed'),
      }),
    ),
    records: z.strictObject({
      added: z.array(z.strictObject(recordRef)),
      removed: z.array(z.strictObject(recordRef)),
      changed: z.array(
        z.strictObject({
          ...recordRef,
          movedFrom: z.string().describe('The file it was in before, when it moved').optional(),
          contentChanged: z.boolean().describe('Its content fingerprint changed'),
          fingerprintBefore: z.string(),
          fingerprintAfter: z.string(),
          changes: z.array(partChange),
        }),
      ),
      moved: z
        .array(z.strictObject({ ...recordRef, movedFrom: z.string() }))
        .describe('Moved to another file (or between Markdown and a collection), nothing else changed'),
    }),
    links: z.strictObject({ added: z.array(link), removed: z.array(link) }),
    classes: z
      .array(valueChange)
      .describe('Computed software safety classes (system, items, SOUP) that differ'),
    risks: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        phase: z.enum(['initial', 'residual']),
        before: estimate.optional(),
        after: estimate.optional(),
      }),
    ),
    soup: z.array(valueChange).describe('Versions of the SOUP in use that differ'),
    vulnerabilities: z
      .array(
        z.strictObject({
          soup: z.string(),
          advisory: z.string(),
          before: z.string().describe('not evaluated, evaluation stale, or the evaluation state').optional(),
          after: z.string().optional(),
        }),
      )
      .nullable()
      .describe('null: not compared (no advisory data was given)'),
  })
  .describe('dossier diff --format json');

export type DiffReport = z.infer<typeof diffReportSchema>;

export function diffReport(diff: ProjectDiff): DiffReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    before: diff.before,
    after: diff.after,
    complete: diff.notLoaded.length === 0,
    notLoaded: diff.notLoaded.map((n) => ({ ...n, ids: [...n.ids] })),
    records: {
      added: [...diff.records.added],
      removed: [...diff.records.removed],
      changed: diff.records.changed.map((c) => ({ ...c, changes: [...c.changes] })),
      moved: [...diff.records.moved],
    },
    links: { added: [...diff.links.added], removed: [...diff.links.removed] },
    classes: [...diff.classes],
    risks: [...diff.risks],
    soup: [...diff.soup],
    vulnerabilities: diff.vulnerabilities ? [...diff.vulnerabilities] : null,
  };
}

export function renderDiff(diff: ProjectDiff, format: DiffFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(diffReport(diff), null, 2)}\n`;
    case 'markdown':
      return markdown(diff);
    case 'text':
      return text(diff);
  }
}

/** "v1.0.0 (1a2b3c4d5e6f)", or "the working tree". */
export function describeSide(side: DiffSide): string {
  if (side.commit === undefined) return 'the working tree';
  return side.revision === side.commit
    ? side.commit.slice(0, 12)
    : `${side.revision} (${side.commit.slice(0, 12)})`;
}

const estimateText = (e: EstimateValue | null | undefined) =>
  e === undefined
    ? '(none)'
    : e === null
      ? 'not estimated'
      : `${e.severity} × ${e.probability} (${e.acceptable ? 'acceptable' : 'unacceptable'})`;

function counts(diff: ProjectDiff): string {
  const r = diff.records;
  return `${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed, ${r.moved.length} moved`;
}

function text(diff: ProjectDiff): string {
  const out: string[] = [`Changes from ${describeSide(diff.before)} to ${describeSide(diff.after)}`];
  for (const n of diff.notLoaded)
    out.push(`INCOMPLETE: ${n.file} did not load ${n.side === 'before' ? 'before' : 'after'}: ${n.reason}`);
  out.push('', `Records: ${counts(diff)}`);
  for (const r of diff.records.added) out.push(`  added    ${r.id}  ${r.kind}  ${r.title}  (${r.file})`);
  for (const r of diff.records.removed) out.push(`  removed  ${r.id}  ${r.kind}  ${r.title}  (${r.file})`);
  for (const r of diff.records.changed) {
    out.push(
      `  changed  ${r.id}  ${r.kind}  ${r.title}  (${r.file}${r.movedFrom ? `, moved from ${r.movedFrom}` : ''})${r.contentChanged ? '' : ' [status or approval only]'}`,
    );
    for (const change of r.changes) for (const line of partLines(change)) out.push(`           ${line}`);
  }
  for (const r of diff.records.moved) out.push(`  moved    ${r.id}  ${r.movedFrom} → ${r.file}`);
  out.push('', `Links: ${diff.links.added.length} added, ${diff.links.removed.length} removed`);
  for (const l of diff.links.added) out.push(`  + ${l.source} ${l.field} ${l.target}`);
  for (const l of diff.links.removed) out.push(`  - ${l.source} ${l.field} ${l.target}`);
  out.push(
    '',
    `Computed safety classes: ${diff.classes.length === 0 ? 'unchanged' : `${diff.classes.length} changed`}`,
  );
  for (const c of diff.classes)
    out.push(`  ${c.id}  ${c.before ?? '(none)'} → ${c.after ?? '(none)'}  ${c.title}`);
  out.push('', `Risk estimates: ${diff.risks.length === 0 ? 'unchanged' : `${diff.risks.length} changed`}`);
  for (const r of diff.risks)
    out.push(`  ${r.id} ${r.phase}  ${estimateText(r.before)} → ${estimateText(r.after)}  ${r.title}`);
  out.push('', `SOUP versions: ${diff.soup.length === 0 ? 'unchanged' : `${diff.soup.length} changed`}`);
  for (const s of diff.soup)
    out.push(`  ${s.id}  ${s.before ?? '(none)'} → ${s.after ?? '(none)'}  ${s.title}`);
  out.push('');
  if (!diff.vulnerabilities)
    out.push('Vulnerability states: not compared (no advisory data; pass --advisories DB)');
  else {
    out.push(
      `Vulnerability states: ${diff.vulnerabilities.length === 0 ? 'unchanged' : `${diff.vulnerabilities.length} changed`}`,
    );
    for (const v of diff.vulnerabilities)
      out.push(`  ${v.soup} ${v.advisory}  ${v.before ?? '(no finding)'} → ${v.after ?? '(no finding)'}`);
  }
  return `${out.join('\n')}\n`;
}

/** A Markdown table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

function markdown(diff: ProjectDiff): string {
  const out: string[] = [`# Changes from ${describeSide(diff.before)} to ${describeSide(diff.after)}`, ''];
  if (diff.notLoaded.length > 0) {
    out.push('**Incomplete:** record files did not load, so their records are not compared:', '');
    for (const n of diff.notLoaded) out.push(`- ${n.side}: \`${n.file}\`: ${cell(n.reason)}`);
    out.push('');
  }
  out.push(`## Records`, '', `${counts(diff)}.`, '');
  const refs = (
    title: string,
    list: readonly { id: string; kind: string; title: string; file: string }[],
  ) => {
    if (list.length === 0) return;
    out.push(`### ${title}`, '', '| Id | Kind | Title | File |', '|---|---|---|---|');
    for (const r of list) out.push(`| ${r.id} | ${r.kind} | ${cell(r.title)} | \`${r.file}\` |`);
    out.push('');
  };
  refs('Added', diff.records.added);
  refs('Removed', diff.records.removed);
  if (diff.records.changed.length > 0) {
    out.push('### Changed', '');
    for (const r of diff.records.changed) {
      out.push(
        `#### ${r.id}: ${cell(r.title)}`,
        '',
        `${r.kind} in \`${r.file}\`${r.movedFrom ? ` (moved from \`${r.movedFrom}\`)` : ''}${r.contentChanged ? '' : '; status or approval only'}.`,
        '',
        '| Part | Before | After |',
        '|---|---|---|',
      );
      for (const c of r.changes) {
        const part = c.content ? c.part : `${c.part} (not content)`;
        if (c.part === 'text' && typeof c.after === 'string') out.push(`| ${part} | see below | see below |`);
        else
          out.push(
            `| ${part} | ${cell(shownChange(c.before, c.after).before)} | ${cell(shownChange(c.before, c.after).after)} |`,
          );
      }
      const textLines = textDiffLines(r.changes.find((c) => c.part === 'text'));
      if (textLines) out.push('', ...fenced(textLines, 'diff'));
      out.push('');
    }
  }
  if (diff.records.moved.length > 0) {
    out.push('### Moved (content unchanged)', '', '| Id | From | To |', '|---|---|---|');
    for (const r of diff.records.moved) out.push(`| ${r.id} | \`${r.movedFrom}\` | \`${r.file}\` |`);
    out.push('');
  }
  out.push('## Links', '');
  if (diff.links.added.length + diff.links.removed.length === 0) out.push('Unchanged.', '');
  else {
    out.push('| Change | Source | Link | Target |', '|---|---|---|---|');
    for (const l of diff.links.added) out.push(`| added | ${l.source} | ${l.field} | ${l.target} |`);
    for (const l of diff.links.removed) out.push(`| removed | ${l.source} | ${l.field} | ${l.target} |`);
    out.push('');
  }
  const values = (
    title: string,
    list: readonly { id: string; title: string; before?: string; after?: string }[],
  ) => {
    out.push(`## ${title}`, '');
    if (list.length === 0) out.push('Unchanged.', '');
    else {
      out.push('| Id | Title | Before | After |', '|---|---|---|---|');
      for (const v of list)
        out.push(`| ${v.id} | ${cell(v.title)} | ${v.before ?? '—'} | ${v.after ?? '—'} |`);
      out.push('');
    }
  };
  values('Computed safety classes', diff.classes);
  out.push('## Risk estimates', '');
  if (diff.risks.length === 0) out.push('Unchanged.', '');
  else {
    out.push('| Situation | Estimate | Before | After |', '|---|---|---|---|');
    for (const r of diff.risks)
      out.push(
        `| ${r.id}: ${cell(r.title)} | ${r.phase} | ${estimateText(r.before)} | ${estimateText(r.after)} |`,
      );
    out.push('');
  }
  values('SOUP versions', diff.soup);
  out.push('## Vulnerability states', '');
  if (!diff.vulnerabilities) out.push('Not compared: no advisory data was given (`--advisories DB`).', '');
  else if (diff.vulnerabilities.length === 0) out.push('Unchanged.', '');
  else {
    out.push('| SOUP | Advisory | Before | After |', '|---|---|---|---|');
    for (const v of diff.vulnerabilities)
      out.push(`| ${v.soup} | ${v.advisory} | ${v.before ?? 'no finding'} | ${v.after ?? 'no finding'} |`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
