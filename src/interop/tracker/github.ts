/**
 * GitHub issues, as the REST API returns them (`gh api repos/OWNER/REPO/issues --paginate
 * -X GET -f state=all > issues.json`): one object per issue, type "issue" or the type its first
 * mapped label names, id `#<number>`, body kept as the Markdown it is. Pull requests, which the
 * issues endpoint also lists, are skipped and reported.
 */
import type { AttributeValue, ImportBatch, SourceProvenance } from '../model.js';
import { ImportError } from '../model.js';
import { readSourceText } from '../source-files.js';
import { at, BatchCollector, isObject, parseJsonValues, str } from './collect.js';

export interface GitHubIssueOptions {
  /** Label name → object type; the first of an issue's labels found here sets its type. Default "issue". */
  readonly labelTypes?: Readonly<Record<string, string>>;
}

const EXPECTED = 'the JSON array of issues that `gh api repos/OWNER/REPO/issues --paginate` writes';

function labelNames(issue: Record<string, unknown>): string[] {
  const labels = Array.isArray(issue.labels) ? issue.labels : [];
  return labels.flatMap((label) => {
    const name = typeof label === 'string' ? label : str(at(label, 'name'));
    return name ? [name] : [];
  });
}

export async function readGitHubIssues(
  files: readonly string[],
  options: GitHubIssueOptions = {},
): Promise<ImportBatch> {
  const out = new BatchCollector();
  const labelTypes = new Map(Object.entries(options.labelTypes ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const file of files) {
    const values = parseJsonValues(file, await readSourceText(file), EXPECTED);
    // One issue alone (`gh api repos/o/r/issues/12`) is accepted as well as arrays of them.
    const issues = values.flatMap((v) => (Array.isArray(v) ? v : [v]));
    issues.forEach((issue, index) => {
      const number = at(issue, 'number');
      if (!isObject(issue) || typeof number !== 'number' || typeof issue.title !== 'string')
        throw new ImportError(
          `${file}: entry ${index + 1} is not a GitHub issue (no number and title): ${EXPECTED} was expected`,
          { file },
        );
      const location = { file };
      const sourceId = `#${number}`;
      if (issue.pull_request !== undefined) {
        out.issues.push({
          severity: 'info',
          code: 'skipped',
          message: `${file}: ${sourceId} is a pull request, not an issue; skipped`,
          location,
        });
        return;
      }
      const labels = labelNames(issue);
      const typed = labels.find((l) => labelTypes.has(l.toLowerCase()));
      const attributes: Record<string, AttributeValue> = {};
      const set = (name: string, value: AttributeValue | undefined) => {
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) attributes[name] = value;
      };
      set('state', str(issue.state));
      set('state_reason', str(issue.state_reason));
      set('labels', labels);
      set('author', str(at(issue, 'user', 'login')));
      set(
        'assignees',
        (Array.isArray(issue.assignees) ? issue.assignees : []).flatMap((a) => str(at(a, 'login')) ?? []),
      );
      set('milestone', str(at(issue, 'milestone', 'title')));
      set('created_at', str(issue.created_at));
      set('closed_at', str(issue.closed_at));
      set('url', str(issue.html_url));
      const provenance: { -readonly [K in keyof SourceProvenance]: SourceProvenance[K] } = {};
      const state = str(issue.state);
      const reason = str(issue.state_reason);
      if (state) provenance.status = reason && reason !== 'reopened' ? `${state} (${reason})` : state;
      const closedBy = str(at(issue, 'closed_by', 'login'));
      if (closedBy) provenance.lastChangedBy = closedBy;
      const updated = str(issue.updated_at);
      if (updated) provenance.lastChangedAt = updated;
      const body = str(issue.body);
      out.addObject({
        sourceId,
        type: typed ? labelTypes.get(typed.toLowerCase())! : 'issue',
        title: issue.title,
        ...(body ? { text: body.replace(/\r\n?/g, '\n').trim() } : {}),
        attributes,
        ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
        location,
      });
    });
  }
  return out.batch('github', files, 'GitHub');
}
