/**
 * Issue 14's additions to the site: the gap scan on the overview (fail closed when it cannot run),
 * the security page and its JSON (fail closed for a cyber device without security records), the
 * JSON API validated against the committed schemas/api-*.schema.json, and editor links that cannot
 * be turned into script.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { GAP_SCAN_HTML } from '../src/build/gap-stage.js';
import { gapScan } from '../src/gap/scan.js';
import { countsOf } from '../src/gap/summary.js';
import { loadProject } from '../src/load/project.js';
import { securityReport } from '../src/security/security-report.js';
import type { API_SCHEMAS } from '../src/site/api-schema.js';
import { type SiteData, type SiteOptions, siteData } from '../src/site/data.js';
import { EDITOR_TEMPLATES, editorHref, editorTemplate } from '../src/site/editor.js';
import { type SiteServer, startSiteServer } from '../src/site/server.js';
import { siteFile, sitePaths } from '../src/site/site.js';
import { EXAMPLE, EXAMPLE_TRUST_ROOT, loadOk, starterProject, withCyberDevice } from './helpers.js';
import { HOSTILE_TITLE } from './site-fixtures.js';

const text = (data: SiteData, p: string): string => {
  const file = siteFile(data, p);
  if (!file) throw new Error(`no page at ${p}`);
  return typeof file.body === 'string' ? file.body : [...file.body].join('');
};

function exampleData(options: SiteOptions = {}): SiteData {
  process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;
  return siteData(analyze(loadOk(EXAMPLE), { today: '2026-12-01' }), { displayRoot: '.', ...options });
}

/** The starter project with `device.cyberDevice` set as given (or left out: 'undeclared'). */
function starter(cyberDevice: boolean | 'undeclared', files: Record<string, string> = {}): string {
  const dir = starterProject(files);
  const config = path.join(dir, 'dossier.yaml');
  fs.writeFileSync(config, withCyberDevice(fs.readFileSync(config, 'utf8'), cyberDevice));
  return dir;
}

function get(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the example on the site', () => {
  let data: SiteData;
  beforeAll(() => {
    data = exampleData({ gapReport: `../${GAP_SCAN_HTML}` });
  }, 300_000);

  it('the record page draws the trace neighbourhood, lists the verified approvals, points to the history', () => {
    const html = text(data, 'records/SRS-001.html');
    expect(html).toContain('<svg class="neighbourhood"');
    // Upstream two steps (SYS-001, then UN-001) and downstream: every drawn record is a link.
    expect(html).toMatch(/<a href="\.\.\/records\/SYS-001\.html" class="nb-node[^"]*"/);
    expect(html).toMatch(/<a href="\.\.\/records\/UN-001\.html" class="nb-node[^"]*"/);
    expect(html).toMatch(/<a href="\.\.\/records\/TC-001\.html" class="nb-node[^"]*"/);
    // Approvals as `dossier check` verified them (the example's signatures are valid).
    const approvals = html.slice(html.indexOf('id="h-approvals"'));
    expect(approvals).toContain('M. Keller (Software lead)');
    expect(approvals).toContain('<span class="badge ok">valid</span>');
    // The static site has no history page: it names the command.
    expect(html).toContain('<code>dossier history SRS-001</code>');
    expect(siteFile(data, 'history/SRS-001.html')).toBeUndefined();
  });

  it('under the server the record page links its history page, built from git', () => {
    const live = siteFile(data, 'records/SRS-001.html', { live: true });
    expect(String(live?.body)).toContain('href="../history/SRS-001.html"');
    const page = siteFile(data, 'history/SRS-001.html', { live: true });
    const body = String(page?.body);
    expect(body).toContain('<span class="id">SRS-001</span> History');
    // Its first entry creates the record, in the file it lives in today (or an earlier one).
    expect(body).toMatch(/: created in records\/[^<]+\.md<\/p>/);
    expect(siteFile(data, 'history/NOPE-1.html', { live: true })).toBeUndefined();
    expect(siteFile(data, 'history/..%2Fx.html', { live: true })).toBeUndefined();
  });

  it('the overview shows the gap scan counts in its own words, with the report link', () => {
    const html = text(data, 'index.html');
    const counts = countsOf(gapScan(data.analysis).clauses);
    const section = html.slice(html.indexOf('id="h-gap"'), html.indexOf('id="h-kinds"'));
    expect(section).toContain(`${counts.applicable} applicable clauses`);
    expect(section).toContain(`Evidence found: ${counts.evidenceFound}`);
    expect(section).toContain(`Partial: ${counts.partial}`);
    expect(section).toContain(`No evidence: ${counts.noEvidence}`);
    expect(section).toContain(`${counts.evidenceFoundPercent}%`);
    expect(section).toContain('for information only');
    expect(section).toContain('href="../gap-scan/gap-scan.html"');
    expect(section).not.toMatch(/compliant|\bmet\b|\bpass/i);
  });

  it('without a build, the overview names the command instead of a link', () => {
    const html = text(exampleData(), 'index.html');
    expect(html).toContain('<code>dossier gap-scan</code>');
    expect(html).not.toContain('gap-scan.html');
  });

  it('the security page shows the threat model, the risk table, the eight categories, links to records', () => {
    const report = securityReport(data.analysis.graph, data.analysis.project.config);
    expect(report.threatModels.length).toBeGreaterThan(0);
    const html = text(data, 'security.html');
    expect(html).toContain('aria-current="page">Security</a>');
    for (const m of report.threatModels) {
      expect(html).toContain(`href="records/${m.id}.html"`);
      for (const i of m.interfaces) expect(html).toContain(`(${i.key})`);
    }
    for (const r of report.risks) expect(html).toContain(`href="records/${r.id}.html"`);
    for (const c of report.controlCategories) expect(html).toContain(`<td>${c.label}</td>`);
    for (const t of report.testing) expect(html).toContain(`href="records/${t.id}.html"`);
    expect([...sitePaths(data)]).toContain('security.html');
    // In the navigation of every page.
    expect(text(data, 'records/SRS-001.html')).toContain('href="../security.html"');
  });

  it('the static site has no editor links unless asked (absolute paths would leak)', () => {
    expect(text(data, 'records/SRS-001.html')).not.toContain('open in editor');
  });
});

describe('fail closed', () => {
  it('a project that did not load completely: "gap scan not run" with why, in the page and the API', async () => {
    const dir = starter(true, { 'records/software/SRS-900.md': '---\nid: SRS-900\ntitle: never closed\n' });
    const result = loadProject(dir);
    if (!result.ok) throw new Error('config');
    expect(result.project.unloaded.length).toBe(1);
    const data = siteData(analyze(result.project, { today: '2026-12-01' }));
    const html = text(data, 'index.html');
    expect(html).toMatch(
      /<span class="badge bad">gap scan not run: cannot [^<]*did not load[^<]*SRS-900\.md/,
    );
    const server = await startSiteServer({ data });
    try {
      const overview = JSON.parse((await get(server.port, '/api/v1/overview')).body);
      expect(overview.gapScan.status).toBe('not-run');
      expect(overview.gapScan.reason).toContain('SRS-900.md');
    } finally {
      await server.close();
    }
  });

  it('a cyber device without security records: the page says what is missing, in red', () => {
    for (const cyber of [true, 'undeclared'] as const) {
      const data = siteData(analyze(loadOk(starter(cyber)), { today: '2026-12-01' }));
      const html = text(data, 'security.html');
      expect(html).toContain('<span class="badge bad">MISSING: no security records</span>');
      expect(html).toContain('(kind: threat-model)');
      expect(html).toContain('(kind: security-risk)');
      expect(html).not.toContain('badge ok');
    }
  });

  it('a device that is not a cyber device is told so, and the API says the same', async () => {
    const data = siteData(analyze(loadOk(starter(false)), { today: '2026-12-01' }));
    expect(text(data, 'security.html')).toContain('not a cyber device');
    const server = await startSiteServer({ data });
    try {
      const security = JSON.parse((await get(server.port, '/api/v1/security')).body);
      expect(security).toMatchObject({ status: 'not-cyber-device', cyberDevice: false, report: null });
    } finally {
      await server.close();
    }
  });
});

describe('the JSON API against its schemas', () => {
  let server: SiteServer;
  let data: SiteData;
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  const validator = (name: keyof typeof API_SCHEMAS) =>
    ajv.compile(JSON.parse(fs.readFileSync(path.join('schemas', name), 'utf8')));
  beforeAll(async () => {
    data = exampleData();
    server = await startSiteServer({ data });
  }, 300_000);
  afterAll(() => server.close());

  const cases: [keyof typeof API_SCHEMAS, string][] = [
    ['api-overview.schema.json', '/api/v1/overview'],
    ['api-records.schema.json', '/api/v1/records'],
    ['api-records.schema.json', '/api/v1/records?kind=test&page=1'],
    ['api-record.schema.json', '/api/v1/records/SRS-001'],
    ['api-record.schema.json', '/api/v1/records/HS-001'],
    ['api-search.schema.json', '/api/v1/search?q=flow%20rate&limit=5'],
    ['api-diagnostics.schema.json', '/api/v1/diagnostics'],
    ['api-security.schema.json', '/api/v1/security'],
  ];
  for (const [schema, url] of cases)
    it(`GET ${url} validates against ${schema}`, async () => {
      const reply = await get(server.port, url);
      expect(reply.status).toBe(200);
      const body = JSON.parse(reply.body);
      const validate = validator(schema);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      expect(body.schemaVersion).toBe(1);
    });

  it('the record JSON carries the verified approvals and the graph; /history is `dossier history --format json`', async () => {
    const record = JSON.parse((await get(server.port, '/api/v1/records/SRS-001')).body);
    expect(
      record.approvals.map((a: { meaning: string; state: string }) => `${a.meaning} ${a.state}`),
    ).toEqual(['authored valid', 'reviewed valid', 'approved valid']);
    expect(record.neighbourhood.columns.find((c: { step: number }) => c.step === -1).ids).toEqual([
      'SYS-001',
    ]);
    const reply = await get(server.port, '/api/v1/records/SRS-001/history');
    expect(reply.status).toBe(200);
    const history = JSON.parse(reply.body);
    const validate = ajv.compile(
      JSON.parse(fs.readFileSync(path.join('schemas', 'history-report.schema.json'), 'utf8')),
    );
    expect(validate(history), JSON.stringify(validate.errors)).toBe(true);
    expect(history.id).toBe('SRS-001');
    expect(history.entries.length).toBeGreaterThan(0);
    expect((await get(server.port, '/api/v1/records/NOPE-1/history')).status).toBe(404);
  });

  it('the schemas are strict: a response with an unknown field or a missing one fails', async () => {
    const body = JSON.parse((await get(server.port, '/api/v1/overview')).body);
    const validate = validator('api-overview.schema.json');
    expect(validate({ ...body, extra: 1 })).toBe(false);
    const { gapScan: _, ...without } = body;
    expect(validate(without)).toBe(false);
  });

  it('the records list pages through a kind; an unknown kind is 404', async () => {
    const tests = JSON.parse((await get(server.port, '/api/v1/records?kind=test')).body);
    expect(tests.total).toBe(data.byKind.get('test')?.length);
    expect(tests.records.every((r: { kind: string }) => r.kind === 'test')).toBe(true);
    const all = JSON.parse((await get(server.port, '/api/v1/records?page=2')).body);
    expect(all.page).toBe(2);
    expect(all.records[0].id).toBe(data.records[200]!.id);
    expect((await get(server.port, '/api/v1/records?kind=nope')).status).toBe(404);
  });

  it('/api/v1/security carries the `dossier security` report of the example', async () => {
    const body = JSON.parse((await get(server.port, '/api/v1/security')).body);
    expect(body.status).toBe('reported');
    expect(body.report).toEqual(securityReport(data.analysis.graph, data.analysis.project.config));
  });
});

describe('editor links', () => {
  it('names known editors, accepts a custom scheme, refuses script, data, file and web schemes', () => {
    expect(editorTemplate('vscode')).toBe(EDITOR_TEMPLATES.vscode);
    expect(editorTemplate('none')).toBeUndefined();
    expect(editorTemplate('myeditor://open?f={path}&l={line}')).toBe('myeditor://open?f={path}&l={line}');
    for (const bad of [
      'javascript:alert(1)//{path}',
      'JavaScript:alert(1)//{path}',
      'data:text/html,{path}',
      'vbscript:x{path}',
      'file://{path}',
      'https://evil.example/?{path}',
      'vscode://file',
      'vscode://file{path}" onclick="x',
      'not a template',
    ])
      expect(() => editorTemplate(bad), bad).toThrow(/--editor/);
  });

  it('encodes the path, takes only a positive whole line, stays inside the project', () => {
    const links = { template: EDITOR_TEMPLATES.vscode!, root: '/p/my project' };
    expect(editorHref(links, 'records/a b/"><x>.md', 12)).toBe(
      'vscode://file/p/my%20project/records/a%20b/%22%3E%3Cx%3E.md:12',
    );
    expect(editorHref(links, 'records/a.md', 0)).toBeUndefined();
    expect(editorHref(links, 'records/a.md', 1.5)).toBeUndefined();
    expect(editorHref(links, '../../etc/passwd', 1)).toBeUndefined();
  });

  it('the record page links file and line, attribute-escaped, for a hostile file name and title', () => {
    const name = `records/software/x"'><b>&.md`;
    const dir = starterProject({
      [name]: `---\nid: SRS-077\ntitle: '${HOSTILE_TITLE.replace(/'/g, "''")}'\nstatus: draft\ncategory: functional\nderivesFrom: [SYS-001]\n---\nText.\n`,
    });
    const project = loadOk(dir);
    const data = siteData(analyze(project, { today: '2026-12-01' }), {
      editor: { template: editorTemplate('idea')!, root: project.root },
    });
    const html = text(data, 'records/SRS-077.html');
    const href = /<a class="editor" href="([^"]*)">open in editor<\/a>/.exec(html)?.[1];
    expect(href).toBeDefined();
    expect(href).toMatch(/^idea:\/\/open\?file=\//);
    expect(href).toContain('x%22&apos;%3E%3Cb%3E%26.md&amp;line=2');
    expect(href).not.toMatch(/[<>"]/);
  });
});

describe('the history of a project git does not hold', () => {
  it('says there is no history, with why, in the page and the API; never an empty history', async () => {
    const dir = starterProject();
    expect(fs.existsSync(path.join(dir, '.git'))).toBe(false);
    process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;
    const data = siteData(analyze(loadOk(dir), { today: '2026-12-01' }));
    const page = String(siteFile(data, 'history/SRS-001.html', { live: true })?.body);
    expect(page).toContain('<span class="badge unknown">no history</span>');
    expect(page).not.toContain('No commit changed this record');
    const server = await startSiteServer({ data });
    try {
      const reply = await get(server.port, '/api/v1/records/SRS-001/history');
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body).error).toMatch(/\S/);
    } finally {
      await server.close();
    }
  });
});
