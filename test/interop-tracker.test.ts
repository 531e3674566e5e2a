/**
 * The issue-tracker readers (src/interop/tracker): GitHub issues as `gh api --paginate` writes them
 * (pages of JSON arrays back to back), Jira search results with ADF descriptions, and Jira's CSV
 * export with its repeated columns. Fixtures in test/fixtures/interop/tracker follow the real
 * formats field for field.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../src/interop/model.js';
import { readGitHubIssues } from '../src/interop/tracker/github.js';
import { adfToMarkdown } from '../src/interop/tracker/jira-adf.js';
import { jiraCsvDate, readJiraCsv } from '../src/interop/tracker/jira-csv.js';
import { readJiraJson } from '../src/interop/tracker/jira-json.js';
import { REPO } from './helpers.js';

const FIXTURES = path.join(REPO, 'test/fixtures/interop/tracker');
const fixture = (name: string) => path.join(FIXTURES, name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-tracker-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportError);
  return (error as ImportError).message;
}

describe('GitHub issues', () => {
  it('reads paginated gh output: issues typed by label, pull requests skipped', async () => {
    const file = fixture('github-issues.json');
    const batch = await readGitHubIssues([file], {
      labelTypes: { requirement: 'requirement', bug: 'anomaly' },
    });
    expect(batch).toMatchObject({ format: 'github', tool: 'GitHub', relations: [] });
    expect(batch.objects.map((o) => [o.sourceId, o.type])).toEqual([
      ['#42', 'anomaly'],
      ['#40', 'requirement'],
    ]);
    expect(batch.objects[0]).toEqual({
      sourceId: '#42',
      type: 'anomaly',
      title: 'Occlusion alarm fires late at low flow rates',
      text: 'At 0.5 mL/h the alarm fires after 3 h instead of 1 h.\n\n**Steps**\n1. Set rate 0.5 mL/h\n2. Clamp the line\n\nSee #40.',
      attributes: {
        state: 'closed',
        state_reason: 'completed',
        labels: ['bug', 'safety'],
        author: 'mkeller',
        assignees: ['jsmith'],
        milestone: '1.2.0',
        created_at: '2026-03-02T09:14:00Z',
        closed_at: '2026-03-20T16:01:12Z',
        url: 'https://github.com/acme/pump-fw/issues/42',
      },
      provenance: {
        status: 'closed (completed)',
        lastChangedBy: 'jsmith',
        lastChangedAt: '2026-03-20T16:01:12Z',
      },
      location: { file },
    });
    expect(batch.objects[1]).not.toHaveProperty('text');
    expect(batch.issues).toEqual([
      expect.objectContaining({
        code: 'skipped',
        message: expect.stringMatching(/#43 is a pull request, not an issue; skipped/),
      }),
    ]);
    const plain = await readGitHubIssues([file]);
    expect(plain.objects.map((o) => o.type)).toEqual(['issue', 'issue']);
  });

  it('refuses what is not an issue list, saying what was expected', async () => {
    expect(
      await failure(readGitHubIssues([write('repo.json', '{"name":"pump-fw","full_name":"acme/pump-fw"}')])),
    ).toMatch(
      /repo\.json: entry 1 is not a GitHub issue \(no number and title\): the JSON array of issues that `gh api repos\/OWNER\/REPO\/issues --paginate` writes was expected/,
    );
    expect(await failure(readGitHubIssues([write('truncated.json', '[{"number": 1, "title": "x"')]))).toMatch(
      /truncated\.json: incomplete or empty JSON/,
    );
    expect(await failure(readGitHubIssues([write('html.json', '<html>rate limited</html>')]))).toMatch(
      /html\.json:1: not JSON/,
    );
    expect(await failure(readGitHubIssues([path.join(dir, 'absent.json')]))).toMatch(
      /absent\.json: no such file/,
    );
  });

  it('reports an issue read twice (overlapping exports)', async () => {
    const file = write(
      'dupe.json',
      '[{"number":1,"title":"a","state":"open"}][{"number":1,"title":"a again","state":"open"}]',
    );
    const batch = await readGitHubIssues([file]);
    expect(batch.objects).toHaveLength(1);
    expect(batch.issues).toEqual([
      expect.objectContaining({ code: 'duplicate-id', message: expect.stringMatching(/#1 occurs again/) }),
    ]);
  });
});

describe('Jira JSON', () => {
  it('reads a search result: types, status, links both ways once, sub-task parents, ADF as Markdown', async () => {
    const file = fixture('jira-search.json');
    const batch = await readJiraJson([file]);
    expect(batch.objects.map((o) => [o.sourceId, o.foreignId, o.type, o.provenance?.status])).toEqual([
      ['PUMP-12', '10042', 'Requirement', 'Approved'],
      ['PUMP-13', '10043', 'Story', 'In Progress'],
      ['PUMP-14', '10044', 'Sub-task', 'Done'],
    ]);
    const [req, story] = batch.objects;
    expect(req?.attributes).toEqual({
      status: 'Approved',
      priority: 'High',
      labels: ['safety', 'dosing'],
      components: ['Delivery'],
      fixVersions: ['1.2.0'],
      assignee: 'Jane Smith',
      reporter: 'Max Keller',
      created: '2026-01-15T09:30:00.000+0100',
      project: 'PUMP',
    });
    expect(req?.text).toBe(
      [
        'The pump **shall** refuse a bolus above the _configured_ limit.\\',
        'See [IEC 62304](https://example.org/62304)',
        '',
        '### Limits',
        '',
        '- adults: 10 mL',
        '- children:',
        '  1. by weight',
        '',
        '```c',
        'if (dose > limit) return REFUSE;',
        '```',
        '',
        '> Checked by the safety board.',
      ].join('\n'),
    );
    expect(story?.text).toBe('h3. UI\n* show the limit\n* refuse with a message');
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId}`)).toEqual([
      'PUMP-12 Blocks PUMP-13',
      'SAFE-7 Relates PUMP-12',
      'PUMP-14 parent PUMP-12',
    ]);
    const messages = batch.issues.map((i) => `${i.code}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /^approximated: .*PUMP-12: the description's panel, underline mark kept as plain text/,
      ),
      expect.stringMatching(/^approximated: .*descriptions are Jira wiki markup and were kept as written/),
      expect.stringMatching(/^broken-link: .*SAFE-7 Relates PUMP-12, but SAFE-7 is not in the export/),
    ]);
  });

  it('refuses JSON that is not a Jira export', async () => {
    expect(await failure(readJiraJson([write('other.json', '{"values": []}')]))).toMatch(
      /other\.json: no "issues" array: a Jira search result \(\{"issues": \[\.\.\.\]\}\) or an array of Jira issues was expected/,
    );
    expect(await failure(readJiraJson([write('nokey.json', '{"issues": [{"id": "1"}]}')]))).toMatch(
      /nokey\.json: issue 1 has no key or fields/,
    );
  });

  it('converts the other ADF nodes', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'taskList',
          content: [
            { type: 'taskItem', attrs: { state: 'DONE' }, content: [{ type: 'text', text: 'reviewed' }] },
            { type: 'taskItem', attrs: { state: 'TODO' }, content: [{ type: 'text', text: 'tested' }] },
          ],
        },
        {
          type: 'table',
          content: [
            {
              type: 'tableRow',
              content: [
                {
                  type: 'tableHeader',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Dose' }] }],
                },
                {
                  type: 'tableHeader',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Limit|max' }] }],
                },
              ],
            },
            {
              type: 'tableRow',
              content: [
                {
                  type: 'tableCell',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: 'bolus' }] }],
                },
                {
                  type: 'tableCell',
                  content: [
                    { type: 'paragraph', content: [{ type: 'text', text: '10', marks: [{ type: 'code' }] }] },
                  ],
                },
              ],
            },
          ],
        },
        { type: 'rule' },
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: 'x', text: '@Jane' } },
            { type: 'text', text: ' see ' },
            { type: 'inlineCard', attrs: { url: 'https://example.org/x' } },
            { type: 'text', text: ' old', marks: [{ type: 'strike' }] },
          ],
        },
        {
          type: 'mediaSingle',
          content: [{ type: 'media', attrs: { id: 'abc', type: 'file', alt: 'wiring.png' } }],
        },
      ],
    };
    expect(adfToMarkdown(doc)).toEqual({
      markdown: [
        '- [x] reviewed',
        '- [ ] tested',
        '',
        '| Dose | Limit\\|max |',
        '| --- | --- |',
        '| bolus | `10` |',
        '',
        '---',
        '',
        '@Jane see <https://example.org/x> ~~old~~',
        '',
        '[attachment: wiring.png]',
      ].join('\n'),
      approximated: ['media'],
    });
    expect(adfToMarkdown(null)).toEqual({ markdown: '', approximated: [] });
  });
});

describe('Jira CSV', () => {
  it('reads repeated columns as lists, link columns as relations, parents by issue id', async () => {
    const file = fixture('jira-export.csv');
    const batch = await readJiraCsv([file]);
    expect(batch.format).toBe('jira');
    expect(batch.objects.map((o) => [o.sourceId, o.type, o.title, o.provenance?.status])).toEqual([
      ['PUMP-12', 'Requirement', 'Bolus dose limit', 'Approved'],
      ['PUMP-13', 'Story', 'Bolus UI, with "limit" message', 'In Progress'],
      ['PUMP-14', 'Sub-task', 'Unit test the limit', 'Done'],
    ]);
    expect(batch.objects[0]).toMatchObject({
      foreignId: '10042',
      text: 'The pump *shall* refuse a bolus above the limit.\n* adults: 10 mL\n* children: by weight',
      attributes: {
        project: 'PUMP',
        priority: 'High',
        assignee: 'Jane Smith',
        reporter: 'Max Keller',
        created: '2026-01-15T09:30',
        labels: ['safety', 'dosing'],
        components: ['Delivery'],
        fixVersions: ['1.2.0'],
        'Custom field (Risk class)': 'C',
        Sprint: ['Sprint 4', 'Sprint 5'],
      },
      provenance: { status: 'Approved', lastChangedAt: '2026-02-01T14:00' },
      location: { file, line: 2 },
    });
    expect(batch.objects[2]?.attributes).toMatchObject({ resolution: 'Done', resolved: '2026-02-03T11:00' });
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId}`)).toEqual([
      'PUMP-12 Blocks PUMP-13',
      'PUMP-12 Blocks PUMP-15',
      'PUMP-12 Relates SAFE-7',
      'PUMP-14 parent PUMP-12',
    ]);
    const messages = batch.issues.map((i) => `${i.severity} ${i.code}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^warning skipped: .*jira-export\.csv:7: a row without an issue key; skipped$/),
      expect.stringMatching(/^info approximated: .*wiki markup/),
      expect.stringMatching(
        /^warning broken-link: .*PUMP-12 Blocks PUMP-15, but PUMP-15 is not in the export/,
      ),
      expect.stringMatching(/^warning broken-link: .*PUMP-12 Relates SAFE-7/),
    ]);
  });

  it('reads a semicolon-separated export', async () => {
    const file = write('semi.csv', 'Summary;Issue key;Issue Type;Labels;Labels\nA, with comma;X-1;Bug;a;b\n');
    const batch = await readJiraCsv([file]);
    expect(batch.objects).toEqual([
      expect.objectContaining({
        sourceId: 'X-1',
        title: 'A, with comma',
        type: 'Bug',
        attributes: { labels: ['a', 'b'] },
      }),
    ]);
  });

  it('converts Jira dates and refuses a CSV that is not a Jira export', async () => {
    expect(jiraCsvDate('12/Mar/24 10:15 AM')).toBe('2024-03-12T10:15');
    expect(jiraCsvDate('12/Mar/24 12:05 AM')).toBe('2024-03-12T00:05');
    expect(jiraCsvDate('1/Dec/2025 3:07 PM')).toBe('2025-12-01T15:07');
    expect(jiraCsvDate('2024-03-12')).toBe('2024-03-12');
    expect(await failure(readJiraCsv([write('sheet.csv', 'ID,Title\nA,B\n')]))).toMatch(
      /sheet\.csv: no "Issue key" column, so this is not a Jira CSV export: export the issues from Jira with Export → CSV \(all fields\)/,
    );
  });
});
