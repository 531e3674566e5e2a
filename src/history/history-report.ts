/**
 * `dossier history ID` as text, Markdown and JSON. The JSON is a versioned contract
 * (schemas/history-report.schema.json, docs/history.md): within a `schemaVersion`, fields are only added.
 */
import { z } from 'zod';
import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { HISTORY_FORMATS } from '../report-formats.js';
import { DOSSIER_VERSION } from '../version.js';
import type { Approval, HistoryEntry, RecordHistory } from './record-history.js';
import { fenced, partLines, shownChange, textDiffLines } from './shown-values.js';

export { HISTORY_FORMATS };

export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

const partChange = z.strictObject({
  part: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  content: z.boolean(),
});

export const historyReportSchema = z
  .strictObject({
    schemaVersion: z.literal(JSON_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
    id: z.string(),
    revision: z.string(),
    commit: z.string(),
    entries: z
      .array(
        z.strictObject({
          commit: z.string().describe('Absent: uncommitted changes in the working tree').optional(),
          author: z.string().optional(),
          email: z.string().optional(),
          date: z.string().describe('Author date, ISO 8601').optional(),
          subject: z.string().optional(),
          event: z.enum(['created', 'changed', 'moved', 'deleted']),
          file: z.string(),
          movedFrom: z.string().optional(),
          contentChanged: z.boolean(),
          fingerprint: z.string(),
          changes: z.array(partChange),
        }),
      )
      .describe('Oldest first'),
    approvals: z.array(
      z.strictObject({
        signer: z.string(),
        meaning: z.string(),
        time: z.string(),
        fingerprint: z.string(),
        givenIn: z.string().describe('The commit that first holds the signature').optional(),
        state: z
          .enum(['valid', 'void'])
          .describe('Whether the content now is the content signed (not a signature verification)'),
        voidedIn: z
          .strictObject({
            commit: z.string().optional(),
            date: z.string().optional(),
            author: z.string().optional(),
          })
          .optional(),
      }),
    ),
    signaturesFile: z.string(),
    unread: z.array(z.strictObject({ commit: z.string().optional(), file: z.string(), why: z.string() })),
  })
  .describe('dossier history --format json');

/** The history as its JSON contract (schemas/history-report.schema.json). */
export function historyReport(history: RecordHistory) {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    ...history,
  };
}

export function renderHistory(history: RecordHistory, format: HistoryFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(historyReport(history), null, 2)}\n`;
    case 'markdown':
      return markdown(history);
    case 'text':
      return text(history);
  }
}

/** What a history entry did to the record, in words ("created in …", "moved from … to …"). */
export function eventDescription(e: HistoryEntry): string {
  return e.event === 'created'
    ? `created in ${e.file}`
    : e.event === 'deleted'
      ? `deleted from ${e.file}`
      : e.event === 'moved'
        ? `moved from ${e.movedFrom} to ${e.file}`
        : `changed${e.movedFrom ? ` (moved from ${e.movedFrom} to ${e.file})` : ''}${e.contentChanged ? '' : ' (status or approval fields only)'}`;
}

function headline(e: HistoryEntry): string {
  const when = e.date ? e.date.slice(0, 10) : '(uncommitted)';
  const what = eventDescription(e);
  return `${when}  ${e.commit ? e.commit.slice(0, 12) : 'working tree'}  ${e.author ? `${e.author}  ` : ''}${what}`;
}

/** One approval of the history in words: meaning, signer, time, and whether it still holds. */
export function approvalLine(a: Approval): string {
  const given = a.givenIn ? `given in ${a.givenIn.slice(0, 12)}` : 'not committed yet';
  const state =
    a.state === 'valid'
      ? 'valid: the content now is the content signed'
      : a.voidedIn
        ? `VOID since ${a.voidedIn.commit ? a.voidedIn.commit.slice(0, 12) : 'the uncommitted change'}${a.voidedIn.date ? ` (${a.voidedIn.date.slice(0, 10)}${a.voidedIn.author ? `, ${a.voidedIn.author}` : ''})` : ''}: content changed after the signature`
        : 'VOID: the content signed is not the content now';
  return `${a.meaning} by ${a.signer} at ${a.time} (${given}): ${state}`;
}

function text(h: RecordHistory): string {
  const out = [`History of ${h.id} at ${h.revision} (${h.commit.slice(0, 12)}), oldest first`, ''];
  for (const e of h.entries) {
    out.push(headline(e));
    if (e.subject) out.push(`    "${e.subject}"`);
    for (const c of e.changes) for (const line of partLines(c)) out.push(`    ${line}`);
    out.push('');
  }
  out.push(`Approvals (${h.signaturesFile}): ${h.approvals.length === 0 ? 'none' : h.approvals.length}`);
  for (const a of h.approvals) out.push(`  ${approvalLine(a)}`);
  if (h.approvals.length > 0)
    out.push('  (listed against the content, not verified: dossier check verifies signatures)');
  for (const u of h.unread)
    out.push(
      `NOT READ: ${u.file}${u.commit ? ` in ${u.commit.slice(0, 12)}` : ''}: ${u.why}; changes in it are not shown`,
    );
  return `${out.join('\n')}\n`;
}

const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

function markdown(h: RecordHistory): string {
  const out = [
    `# History of ${h.id}`,
    '',
    `At ${h.revision} (\`${h.commit.slice(0, 12)}\`), oldest first.`,
    '',
  ];
  for (const e of h.entries) {
    out.push(`## ${cell(headline(e))}`, '');
    if (e.subject) out.push(`> ${cell(e.subject)}`, '');
    const plain = e.changes.filter((c) => c.part !== 'text');
    if (plain.length > 0) {
      out.push('| Part | Before | After |', '|---|---|---|');
      for (const c of plain)
        out.push(
          `| ${c.content ? c.part : `${c.part} (not content)`} | ${cell(shownChange(c.before, c.after).before)} | ${cell(shownChange(c.before, c.after).after)} |`,
        );
      out.push('');
    }
    const textLines = textDiffLines(e.changes.find((c) => c.part === 'text'));
    if (textLines) out.push(...fenced(textLines, 'diff'), '');
  }
  out.push(
    `## Approvals`,
    '',
    `From \`${h.signaturesFile}\`; listed against the content, not verified (\`dossier check\` verifies signatures).`,
    '',
  );
  if (h.approvals.length === 0) out.push('None.', '');
  for (const a of h.approvals) out.push(`- ${cell(approvalLine(a))}`);
  if (h.unread.length > 0) {
    out.push('', '## Not read', '');
    for (const u of h.unread)
      out.push(`- \`${u.file}\`${u.commit ? ` in \`${u.commit.slice(0, 12)}\`` : ''}: ${cell(u.why)}`);
  }
  return `${out.join('\n')}\n`;
}
