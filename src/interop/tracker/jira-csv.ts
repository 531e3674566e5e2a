/**
 * Jira's CSV export (Filters → Export → CSV, all or current fields). Jira repeats a column once per
 * value: `Labels,Labels,Labels`, `Component/s,Component/s`, `Sprint,Sprint`; a repeated column
 * becomes a list. Links come as `Outward issue link (Blocks)` / `Inward issue link (Blocks)`
 * columns holding issue keys; `Parent` holds the parent's issue id (or key). Dates in Jira's
 * `12/Mar/24 10:15 AM` form become ISO dates; others are kept as written.
 */
import type { AttributeValue, ImportBatch, ImportedRelation, SourceProvenance } from '../model.js';
import { ImportError } from '../model.js';
import { CsvSyntaxError, detectDelimiter, parseCsv } from '../sheet/csv-parse.js';
import { readSourceText } from '../source-files.js';
import { BatchCollector } from './collect.js';
import { wikiMarkupIssue } from './jira-json.js';

/** Columns read into roles or named attributes (lower case); the rest are attributes under their header. */
const ROLE: Record<string, string> = {
  'issue key': 'key',
  'issue id': 'id',
  summary: 'title',
  'issue type': 'type',
  status: 'status',
  description: 'text',
  updated: 'updated',
  parent: 'parent',
  'parent id': 'parent',
  priority: 'priority',
  resolution: 'resolution',
  assignee: 'assignee',
  reporter: 'reporter',
  created: 'created',
  resolved: 'resolved',
  labels: 'labels',
  'component/s': 'components',
  components: 'components',
  'fix version/s': 'fixVersions',
  'fix versions': 'fixVersions',
  'project key': 'project',
};
const LISTS = new Set(['labels', 'components', 'fixVersions']);
const DATES = new Set(['created', 'resolved', 'updated']);
const LINK = /^(inward|outward) issue link \((.+)\)$/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Jira's default CSV date, `12/Mar/24 10:15 AM` (or with a 4-digit year), as `2024-03-12T10:15`. */
export function jiraCsvDate(text: string): string {
  const m = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2})(?: ?([AP]M))?$/i.exec(text.trim());
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) return text;
  let hour = Number(m[4]) % (m[6] ? 12 : 24);
  if (m[6]?.toUpperCase() === 'PM') hour += 12;
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(month + 1)}-${pad(Number(m[1]))}T${pad(hour)}:${m[5]}`;
}

export async function readJiraCsv(files: readonly string[]): Promise<ImportBatch> {
  const out = new BatchCollector();
  let wikiMarkup = false;
  const keyOfId = new Map<string, string>();
  const parents: { child: string; parent: string; location: ImportedRelation['location'] }[] = [];
  for (const file of files) {
    let parsed: ReturnType<typeof parseCsv>;
    try {
      // Jira writes a comma unless told otherwise; its header line has no quoted text, so the
      // delimiter is read there, not from descriptions full of semicolons further down.
      const text = await readSourceText(file);
      parsed = parseCsv(text, detectDelimiter(text.slice(0, text.indexOf('\n') + 1 || undefined)));
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      throw new ImportError(
        `${file}:${error.line}: ${error.message}: the file is not a complete Jira CSV export`,
        {
          file,
          line: error.line,
        },
      );
    }
    const [header = [], ...rows] = parsed.rows;
    const keyColumn = header.findIndex((h) => h.trim().toLowerCase() === 'issue key');
    if (keyColumn < 0)
      throw new ImportError(
        `${file}: no "Issue key" column, so this is not a Jira CSV export: export the issues from Jira with Export → CSV (all fields)`,
        { file },
      );
    const repeated = new Set(header.filter((h, i) => header.indexOf(h) !== i).map((h) => h.trim()));
    rows.forEach((row, index) => {
      const line = parsed.lines[index + 1]!;
      if (row.every((cell) => cell.trim() === '')) return;
      const location = { file, line };
      const key = row[keyColumn]?.trim();
      if (!key) {
        out.issues.push({
          severity: 'warning',
          code: 'skipped',
          message: `${file}:${line}: a row without an issue key; skipped`,
          location,
        });
        return;
      }
      const roles = new Map<string, string[]>();
      const attributes: Record<string, AttributeValue> = {};
      header.forEach((name, c) => {
        const value = row[c]?.trim() ?? '';
        if (!value) return;
        const title = name.trim();
        const link = LINK.exec(title);
        if (link) {
          const [sourceId, targetId] = link[1]!.toLowerCase() === 'outward' ? [key, value] : [value, key];
          out.addRelation({ sourceId, targetId, type: link[2]!, location });
          return;
        }
        const role = ROLE[title.toLowerCase()];
        if (role) {
          roles.set(role, [...(roles.get(role) ?? []), value]);
          return;
        }
        if (repeated.has(title)) {
          const list = attributes[title];
          attributes[title] = [...(Array.isArray(list) ? list : []), value];
        } else attributes[title] = value;
      });
      const one = (role: string) => roles.get(role)?.[0];
      for (const [role, values] of roles) {
        if (['key', 'id', 'title', 'type', 'status', 'text', 'updated', 'parent'].includes(role)) continue;
        attributes[role] = LISTS.has(role) ? values : DATES.has(role) ? jiraCsvDate(values[0]!) : values[0]!;
      }
      const id = one('id');
      if (id) keyOfId.set(id, key);
      const parent = one('parent');
      if (parent) parents.push({ child: key, parent, location });
      const text = one('text');
      if (text) wikiMarkup = true;
      const provenance: { -readonly [K in keyof SourceProvenance]: SourceProvenance[K] } = {};
      if (one('status')) {
        provenance.status = one('status');
        // As in the JSON export: as an attribute it can fill a problem report's `state`.
        attributes.status = one('status')!;
      }
      if (one('updated')) provenance.lastChangedAt = jiraCsvDate(one('updated')!);
      out.addObject({
        sourceId: key,
        ...(id ? { foreignId: id } : {}),
        type: one('type') ?? 'Issue',
        ...(one('title') ? { title: one('title') } : {}),
        ...(text ? { text: text.replace(/\r\n?/g, '\n') } : {}),
        attributes,
        ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
        location,
      });
    });
  }
  // Jira Cloud writes the parent's numeric issue id, known only once every row is read.
  for (const { child, parent, location } of parents)
    out.addRelation({ sourceId: child, targetId: keyOfId.get(parent) ?? parent, type: 'parent', location });
  if (wikiMarkup) out.issues.push(wikiMarkupIssue(files));
  return out.batch('jira', files, 'Jira');
}
