/**
 * Jira issues as JSON: the REST search result (`/rest/api/2|3/search?jql=…`, `{ issues: [...] }`),
 * several such pages one after another, or a bare array of issues. One object per issue, typed by
 * its issue type; its links typed by link name ("Blocks", "Relates"), from the issue on the
 * outward side to the one on the inward side, as Jira words it ("A blocks B"); a sub-task's
 * parent as a "parent" relation. The description is Markdown: converted from ADF (API v3), or kept
 * as written when it is a string (API v2 wiki markup, reported as such once).
 */
import type { AttributeValue, ImportBatch, ImportIssue, SourceProvenance } from '../model.js';
import { ImportError } from '../model.js';
import { readSourceText } from '../source-files.js';
import { at, BatchCollector, isObject, type Json, parseJsonValues, str } from './collect.js';
import { adfToMarkdown } from './jira-adf.js';

const EXPECTED = 'a Jira search result ({"issues": [...]}) or an array of Jira issues';

const names = (value: unknown, key = 'name'): string[] =>
  (Array.isArray(value) ? value : []).flatMap((v) => (typeof v === 'string' ? [v] : (str(at(v, key)) ?? [])));

function issuesOf(file: string, value: unknown): Json[] {
  const list = Array.isArray(value) ? value : at(value, 'issues');
  if (!Array.isArray(list))
    throw new ImportError(`${file}: no "issues" array: ${EXPECTED} was expected`, { file });
  return list.map((issue, index) => {
    if (!isObject(issue) || typeof issue.key !== 'string' || !isObject(issue.fields))
      throw new ImportError(`${file}: issue ${index + 1} has no key or fields: ${EXPECTED} was expected`, {
        file,
      });
    return issue;
  });
}

export async function readJiraJson(files: readonly string[]): Promise<ImportBatch> {
  const out = new BatchCollector();
  let wikiMarkup = false;
  for (const file of files) {
    const values = parseJsonValues(file, await readSourceText(file), EXPECTED);
    for (const issue of values.flatMap((v) => issuesOf(file, v))) {
      const key = issue.key as string;
      const fields = issue.fields as Json;
      const location = { file };
      const attributes: Record<string, AttributeValue> = {};
      const set = (name: string, value: AttributeValue | undefined) => {
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) attributes[name] = value;
      };
      // Also provenance; as an attribute it can fill a problem report's `state` (`fields:`, `values:`).
      set('status', str(at(fields, 'status', 'name')));
      set('priority', str(at(fields, 'priority', 'name')));
      set('resolution', str(at(fields, 'resolution', 'name')));
      set('labels', names(fields.labels));
      set('components', names(fields.components));
      set('fixVersions', names(fields.fixVersions));
      set('assignee', str(at(fields, 'assignee', 'displayName')));
      set('reporter', str(at(fields, 'reporter', 'displayName')));
      set('created', str(fields.created));
      set('resolved', str(fields.resolutiondate));
      set('project', str(at(fields, 'project', 'key')));

      let text: string | undefined;
      const description = fields.description;
      if (typeof description === 'string' && description.trim()) {
        text = description.replace(/\r\n?/g, '\n').trim();
        wikiMarkup = true;
      } else if (isObject(description)) {
        const converted = adfToMarkdown(description);
        text = converted.markdown || undefined;
        if (converted.approximated.length > 0)
          out.issues.push({
            severity: 'info',
            code: 'approximated',
            message: `${file}: ${key}: the description's ${converted.approximated.join(', ')} kept as plain text (Markdown has no such element)`,
            location,
          });
      }

      const provenance: { -readonly [K in keyof SourceProvenance]: SourceProvenance[K] } = {};
      const status = str(at(fields, 'status', 'name'));
      if (status) provenance.status = status;
      const updated = str(fields.updated);
      if (updated) provenance.lastChangedAt = updated;

      out.addObject({
        sourceId: key,
        ...(str(issue.id) ? { foreignId: str(issue.id) } : {}),
        type: str(at(fields, 'issuetype', 'name')) ?? 'Issue',
        ...(str(fields.summary) ? { title: str(fields.summary)!.trim() } : {}),
        ...(text ? { text } : {}),
        attributes,
        ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
        location,
      });

      for (const link of Array.isArray(fields.issuelinks) ? fields.issuelinks : []) {
        const type = str(at(link, 'type', 'name'));
        const outward = str(at(link, 'outwardIssue', 'key'));
        const inward = str(at(link, 'inwardIssue', 'key'));
        if (!type || (!outward && !inward)) continue;
        // On A's export, "outwardIssue: B" reads "A blocks B"; "inwardIssue: B" reads "B blocks A".
        if (outward) out.addRelation({ sourceId: key, targetId: outward, type, location });
        if (inward) out.addRelation({ sourceId: inward, targetId: key, type, location });
      }
      const parent = str(at(fields, 'parent', 'key'));
      if (parent) out.addRelation({ sourceId: key, targetId: parent, type: 'parent', location });
      for (const subtask of Array.isArray(fields.subtasks) ? fields.subtasks : []) {
        const child = str(at(subtask, 'key'));
        if (child) out.addRelation({ sourceId: child, targetId: key, type: 'parent', location });
      }
    }
  }
  if (wikiMarkup) out.issues.push(wikiMarkupIssue(files));
  return out.batch('jira', files, 'Jira');
}

/** Descriptions as strings are Jira wiki markup (API v2, Server/Data Center): kept, not converted. */
export function wikiMarkupIssue(files: readonly string[]): ImportIssue {
  return {
    severity: 'info',
    code: 'approximated',
    message: `${files.join(', ')}: descriptions are Jira wiki markup and were kept as written, not converted to Markdown; export with API v3 (ADF) to get Markdown`,
  };
}
