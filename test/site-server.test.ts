import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteData, SiteMatrix } from '../src/site/data.js';
import { hostAllowed, type SiteServer, startSiteServer } from '../src/site/server.js';
import { siteFile } from '../src/site/site.js';
import { type Steps, stepwise } from '../src/util/steps.js';
import { runCli } from './helpers.js';
import { dataOf, HOSTILE_TITLE, hostileProject } from './site-fixtures.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path is sent as given (no normalisation) and the Host header as chosen. */
function request(
  port: number,
  path: string,
  options: { host?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dossier serve', () => {
  let data: SiteData;
  let server: SiteServer;
  beforeAll(async () => {
    data = dataOf(hostileProject());
    server = await startSiteServer({ data });
  });
  afterAll(() => server.close());

  it('serves the pages, the assets and the record address without .html', async () => {
    const overview = await request(server.port, '/');
    expect(overview.status).toBe(200);
    expect(overview.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(overview.body).toContain('Test device');
    expect(overview.body).toContain('src="assets/live.js"');
    expect(overview.headers['content-security-policy']).toContain("default-src 'self'");
    expect(overview.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(overview.headers['x-content-type-options']).toBe('nosniff');
    expect(overview.headers['access-control-allow-origin']).toBeUndefined();
    const record = await request(server.port, '/records/SRS-001');
    expect(record.status).toBe(200);
    expect(record.body).toContain('href="../records/SYS-001.html"');
    expect((await request(server.port, '/assets/site.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await request(server.port, '/assets/live.js')).status).toBe(200);
  });

  it('refuses a Host header other than localhost (DNS rebinding) with 421', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `localhost:${server.port + 1}`,
      'localhost',
      `127.0.0.1.evil.example:${server.port}`,
    ])
      expect((await request(server.port, '/', { host })).status, host).toBe(421);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `LOCALHOST:${server.port}`])
      expect((await request(server.port, '/', { host })).status, host).toBe(200);
    expect(hostAllowed('[::1]:8462', 8462, new Set(['[::1]']))).toBe(true);
    expect(hostAllowed('', 8462, new Set(['localhost']))).toBe(false);
    expect(hostAllowed(undefined, 8462, new Set(['localhost']))).toBe(false);
    expect(hostAllowed('[::1]:8462', 8463, new Set(['[::1]']))).toBe(false);
  });

  it('makes path traversal impossible: nothing outside the URL scheme is served', async () => {
    for (const path of [
      '/records/../dossier.yaml',
      '/records/..%2Fdossier.yaml',
      '/records/%2e%2e%2fdossier.yaml',
      '/../dossier.yaml',
      '/dossier.yaml',
      '/records/SRS-001.md',
      '/assets/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/v1/records/..%2F..%2Fdossier.yaml',
      '/records/SRS-001%00.html',
    ]) {
      const reply = await request(server.port, path);
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain('device:');
    }
  });

  it('is read-only: other methods get 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])
      expect((await request(server.port, '/', { method })).status, method).toBe(405);
  });

  it('answers the JSON API', async () => {
    const overview = JSON.parse((await request(server.port, '/api/v1/overview')).body);
    expect(overview.schemaVersion).toBe(1);
    expect(overview.device.name).toBe('Test device');
    expect(overview.counts['software-requirement']).toBe(2);
    const record = JSON.parse((await request(server.port, '/api/v1/records/SRS-002')).body);
    expect(record.record.title).toBe(HOSTILE_TITLE);
    expect(record.upstream).toEqual([
      { field: 'derivesFrom', id: 'SYS-001', kind: 'system-requirement', title: expect.any(String) },
    ]);
    const search = JSON.parse((await request(server.port, '/api/v1/search?q=onerror')).body);
    expect(search.hits.map((h: { id: string }) => h.id)).toEqual(['SRS-002']);
    const diagnostics = JSON.parse((await request(server.port, '/api/v1/diagnostics?page=1')).body);
    expect(diagnostics.page).toBe(1);
    expect(diagnostics.pageSize).toBe(200);
    expect((await request(server.port, '/api/v1/records/NOPE-1')).status).toBe(404);
    expect((await request(server.port, '/api/v2/overview')).status).toBe(404);
  });

  it('renders search results on the server, escaped', async () => {
    const page = await request(server.port, '/search.html?q=%22%3E%3Cimg');
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="&quot;&gt;&lt;img"');
    expect(page.body).toContain('1 record matches');
    expect(page.body).not.toContain('<img src=x');
  });

  it('pushes a new generation to open pages over server-sent events', async () => {
    const events: string[] = [];
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/v1/events' });
    const got = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const before = events.length;
          for (const m of chunk.matchAll(/event: analysis\ndata: (\d+)/g)) events.push(m[1]!);
          // Other events (`computed`) arrive too: refresh once, on the first analysis event.
          if (before === 0 && events.length >= 1) server.refresh(data);
          if (events.length >= 2) resolve();
        });
      });
    });
    await got;
    req.destroy();
    expect(Number(events[1])).toBe(Number(events[0]) + 1);
    const page = await request(server.port, '/');
    expect(page.body).toContain(`<meta name="dossier-generation" content="${events[1]}">`);
  });
});

describe('dossier serve with an access token', () => {
  let server: SiteServer;
  const token = 'a'.repeat(48);
  beforeAll(async () => {
    server = await startSiteServer({
      data: dataOf(hostileProject()),
      token,
      allowedHosts: ['dossier.internal'],
    });
  });
  afterAll(() => server.close());

  it('refuses requests without the token', async () => {
    expect((await request(server.port, '/')).status).toBe(403);
    expect((await request(server.port, '/api/v1/overview')).status).toBe(403);
    expect((await request(server.port, '/?token=wrong')).status).toBe(403);
    expect((await request(server.port, '/', { headers: { Cookie: 'dossier_token=wrong' } })).status).toBe(
      403,
    );
  });

  it('sets a cookie on the first visit with ?token= and accepts it, or the header, afterwards', async () => {
    const first = await request(server.port, `/records/SRS-001?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/records/SRS-001');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const cookieValue = cookie.split(';')[0]!;
    expect(
      (await request(server.port, '/records/SRS-001', { headers: { Cookie: cookieValue } })).status,
    ).toBe(200);
    expect((await request(server.port, '/', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
  });

  it('accepts the allowed host names and still refuses others', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    expect(
      (await request(server.port, '/', { host: `dossier.internal:${server.port}`, headers: auth })).status,
    ).toBe(200);
    expect(
      (await request(server.port, '/', { host: `other.internal:${server.port}`, headers: auth })).status,
    ).toBe(421);
  });
});

describe('dossier serve options', () => {
  it('refuses to listen beyond the loopback without allowed hosts, and a port that is not one', () => {
    const dir = hostileProject();
    const wide = runCli(['serve', dir, '--host', '0.0.0.0'], dir);
    expect(wide.code).toBe(2);
    expect(wide.stderr).toContain('--host 0.0.0.0 needs --allowed-hosts');
    const port = runCli(['serve', dir, '--port', '80x'], dir);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port 80x: not a port number');
    expect(port.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    const host = runCli(['serve', dir, '--host', '0.0.0.0', '--allowed-hosts', 'a/b'], dir);
    expect(host.code).toBe(2);
    const editor = runCli(['serve', dir, '--editor', 'javascript:alert(1)//{path}'], dir);
    expect(editor.code).toBe(2);
    expect(editor.stderr).toContain('the javascript: scheme is not allowed');
    expect(editor.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});

/** The text of a file of the static site. */
function siteText(data: SiteData, path: string): string {
  const file = siteFile(data, path);
  if (!file) throw new Error(`no ${path}`);
  return typeof file.body === 'string' ? file.body : [...file.body].join('');
}

/** Reads the event stream until `until` has been seen in it; resolves with everything read. */
function eventsUntil(port: number, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/events' });
    let seen = '';
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no ${until} in: ${seen}`));
    }, 10_000);
    req.on('error', reject);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        seen += chunk;
        if (until.test(seen)) {
          clearTimeout(timer);
          req.destroy();
          resolve(seen);
        }
      });
    });
  });
}

/** Runs `use` against a server of `data` whose background work starts after `warmAfterMs`, then closes it. */
async function withServer(data: SiteData, warmAfterMs: number, use: (server: SiteServer) => Promise<void>) {
  const server = await startSiteServer({ data, warmAfterMs });
  try {
    await use(server);
  } finally {
    await server.close();
  }
}

describe('dossier serve while the background work has not run', () => {
  it('serves the overview at once, the release gates and the gap scan said to be being computed, never as results', async () => {
    const data = dataOf(hostileProject());
    await withServer(data, 60_000, async (server) => {
      const first = await request(server.port, '/');
      expect(first.status).toBe(200);
      expect(first.body).toContain('The release gates are being computed in the background');
      expect(first.body).toContain('The gap scan is being computed in the background');
      expect(first.body).toContain('<meta name="dossier-pending" content="releases gapScan">');
      expect(data.computed('releases')).toBe(false);
      expect(data.computed('gapScan')).toBe(false);
      // With the gates computed and the gap scan not yet, only the gap scan waits.
      data.releases();
      const second = await request(server.port, '/');
      expect(second.body).not.toContain('The release gates are being computed');
      expect(second.body).toContain('The gap scan is being computed');
      expect(second.body).toContain('<meta name="dossier-pending" content="gapScan">');
      // The API never answers with a part missing: it computes what it shows.
      const api = JSON.parse((await request(server.port, '/api/v1/overview')).body);
      expect(['scanned', 'not-run']).toContain(api.gapScan.status);
      expect(data.computed('gapScan')).toBe(true);
      const third = await request(server.port, '/');
      expect(third.body).not.toContain('being computed');
      expect(third.body).not.toContain('dossier-pending');
    });
  });

  it('the static site’s pages are always complete', () => {
    const data = dataOf(hostileProject());
    expect(siteText(data, 'index.html')).not.toContain('being computed');
    expect(siteText(data, 'trace.html')).not.toContain('being computed');
    expect(data.computed('gapScan') && data.computed('matrices')).toBe(true);
  });

  it('serves the trace pages at once, the matrices said to be being computed, and no page for a chain that is not', async () => {
    const data = dataOf(hostileProject());
    await withServer(data, 60_000, async (server) => {
      const index = await request(server.port, '/trace.html');
      expect(index.status).toBe(200);
      expect(index.body).toContain('The trace matrices are being computed in the background');
      expect(index.body).toContain('<meta name="dossier-pending" content="matrices">');
      const slug = /href="trace\/([a-z0-9-]+)-1\.html"/.exec(
        siteText(dataOf(hostileProject()), 'trace.html'),
      )![1]!;
      for (const page of [`/trace/${slug}-1.html`, `/trace/${slug}-gaps-1.html`]) {
        const pending = await request(server.port, page);
        expect(pending.status, page).toBe(200);
        expect(pending.body, page).toContain('The trace matrices are being computed');
      }
      expect((await request(server.port, '/trace/no-such-chain-1.html')).status).toBe(404);
      expect(data.computed('matrices')).toBe(false);
      data.matrices();
      const complete = await request(server.port, `/trace/${slug}-1.html`);
      expect(complete.body).not.toContain('being computed');
      expect(complete.body).not.toContain('dossier-pending');
      expect(complete.body).toContain('<table');
    });
  });

  it('a part whose computation fails is announced and its pages answer 500: none says being computed for ever', async () => {
    const base = dataOf(hostileProject());
    // The real stepwise mechanism, with matrices that fail halfway.
    const failing = stepwise(function* (): Steps<SiteMatrix[]> {
      yield;
      throw new Error('the matrices failed');
    });
    const data: SiteData = {
      ...base,
      matrices: () => failing.get(),
      computed: (part) => (part === 'matrices' ? failing.settled() : base.computed(part)),
      steps: (part) => (part === 'matrices' ? failing.steps() : base.steps(part)),
    };
    await withServer(data, 0, async (server) => {
      const stream = await eventsUntil(server.port, /event: computed\ndata: 1 matrices\n/);
      expect(stream).toContain('data: 1 gapScan');
      for (const page of ['/trace.html', '/trace/requirements-1.html']) {
        const reply = await request(server.port, page);
        expect(reply.status, page).toBe(500);
        expect(reply.body, page).not.toContain('being computed');
      }
      // The pages that do not need the matrices are whole.
      const overview = await request(server.port, '/');
      expect(overview.status).toBe(200);
      expect(overview.body).not.toContain('dossier-pending');
    });
  });

  it('tells open pages each part it has computed, and a page that connects later at once', async () => {
    const data = dataOf(hostileProject());
    await withServer(data, 300, async (server) => {
      const stream = await eventsUntil(server.port, /event: computed\ndata: 1 matrices\n/);
      expect(stream).toMatch(/^retry: 2000\nevent: analysis\ndata: 1\n/);
      expect([...stream.matchAll(/event: computed\ndata: 1 (\w+)\n/g)].map((m) => m[1])).toEqual([
        'releases',
        'gapScan',
        'matrices',
      ]);
      expect(data.computed('releases') && data.computed('gapScan') && data.computed('matrices')).toBe(true);
      const later = await eventsUntil(server.port, /event: computed\ndata: 1 matrices\n/);
      expect(later).toContain('event: analysis\ndata: 1\n\nevent: computed\ndata: 1 releases\n');
      // A new analysis starts again: what was computed of the old one is not announced for it.
      server.refresh(dataOf(hostileProject()));
      const fresh = await eventsUntil(server.port, /event: analysis\ndata: 2\n/);
      expect(fresh).not.toContain('event: computed');
    });
  });
});
