/**
 * `dossier serve`: the site and its JSON API from memory, read-only, over Node's own http.
 *
 * Security model (docs/site.md): bound to 127.0.0.1 unless told otherwise; a request whose Host
 * header is not localhost, 127.0.0.1 or [::1] (or one of `allowedHosts`) on the server's port is
 * refused with 421, which defeats DNS rebinding; with a token, every request must carry it (cookie
 * set by a first visit with `?token=`, or an `Authorization: Bearer` header), else 403. Only GET and
 * HEAD; no CORS header; paths are matched against the URL scheme and never read from disk.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { oneStep, type Steps } from '../util/steps.js';
import { diagnosticsJson, overviewJson, recordJson, recordsJson, searchJson, securityJson } from './api.js';
import type { SiteData, StepwisePart } from './data.js';
import { CSP, e } from './layout.js';
import { isKind, isSafeId } from './paths.js';
import { historyJson } from './record-history.js';
import { searchRecords } from './search.js';
import { siteFile } from './site.js';

export interface ServerOptions {
  /** The site data to serve first; `refresh` replaces it. */
  readonly data: SiteData;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** Host names accepted in the Host header besides localhost, 127.0.0.1 and [::1]. */
  readonly allowedHosts?: readonly string[];
  /** When set, every request must carry this token. */
  readonly token?: string;
  /** How long after listening the background work starts (default 0; tests hold it back to see a page before it). */
  readonly warmAfterMs?: number;
}

export interface SiteServer {
  readonly port: number;
  /** The analysis generation the pages show; increases with every refresh. */
  readonly generation: number;
  /** Serve new data and tell open pages to reload. */
  refresh(data: SiteData): void;
  close(): Promise<void>;
}

const COOKIE = 'dossier_token';
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

const SECURITY_HEADERS = {
  'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Whether a Host header names an allowed host on `port` (the port as the browser sends it). */
export function hostAllowed(header: string | undefined, port: number, allowed: ReadonlySet<string>): boolean {
  if (!header) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(header.trim());
  if (!m) return false;
  const name = m[1]!.toLowerCase().replace(/\.$/, '');
  const given = m[2] === undefined ? 80 : Number(m[2]);
  return given === port && allowed.has(name);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function errorPage(status: number, message: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${status}</title></head>
<body><main><h1>${status}</h1><p>${e(message)}</p><p><a href="/">Overview</a></p></main></body></html>
`;
}

/**
 * What the pages compute on first use (release gates, gap scan, trace matrices, risk rows), done in
 * the background: about {@link WARM_SLICE_MS} of steps per turn of the event loop, so that a request
 * that arrives meanwhile waits for the rest of a slice, not for a whole part (a page that needs a
 * part not yet done finishes its steps itself, or shows it as being computed and reloads when the
 * part is announced). At start-up it begins at once: the server says it is ready as soon as it
 * listens. After a re-analysis it waits {@link WARM_AFTER_REFRESH_MS}, so that the pages the open
 * browsers reload come first.
 */
function warmParts(data: SiteData): WarmPart[] {
  // The overview's parts first: it is the page a browser opens first. The release gates, the gap
  // scan and the matrices run in steps (a gate check, a clause, 500 records of a chain expanded),
  // each well under 300 ms.
  return [
    { name: 'releases', start: () => data.steps('releases') },
    { name: 'gapScan', start: () => data.steps('gapScan') },
    { name: 'matrices', start: () => data.steps('matrices') },
    { start: () => oneStep(() => data.riskRows()) },
    { start: () => oneStep(() => data.riskSvgs()) },
  ];
}

interface WarmPart {
  /** A part pages may show as being computed: its end is announced to them. */
  readonly name?: StepwisePart;
  readonly start: () => Steps<unknown>;
}

/** How long the background work runs steps before it lets the server answer what is waiting. */
const WARM_SLICE_MS = 50;

/** Runs steps of `steps` for about {@link WARM_SLICE_MS}; true when it has run them all. */
function runSlice(steps: Steps<unknown>): boolean {
  const until = performance.now() + WARM_SLICE_MS;
  try {
    do {
      if (steps.next().done) return true;
    } while (performance.now() < until);
    return false;
  } catch {
    // A part that failed is done (the stepwise parts keep their error and never throw here): a page
    // that needs it gets the error again, as a 500, and does not wait for it.
    return true;
  }
}

function warmLater(data: SiteData, delayMs: number, done: (part: StepwisePart) => void): () => void {
  let stopped = false;
  const parts = warmParts(data);
  let running: Steps<unknown> | undefined;
  const next = (i: number, delay: number) => {
    if (stopped || i >= parts.length) return;
    const timer = setTimeout(() => {
      if (stopped) return;
      const part = parts[i]!;
      running ??= part.start();
      if (!runSlice(running)) return next(i, 0);
      running = undefined;
      // A part that failed counts as done too: the page that asks for it then gets its error.
      if (part.name !== undefined) done(part.name);
      next(i + 1, 0);
    }, delay);
    timer.unref();
  };
  next(0, delayMs);
  // A newer analysis replaces this one: its remaining parts would be wasted.
  return () => {
    stopped = true;
  };
}

/** How long after a re-analysis the background work waits: the reloads of open pages go first. */
export const WARM_AFTER_REFRESH_MS = 1500;

export function startSiteServer(options: ServerOptions): Promise<SiteServer> {
  let data = options.data;
  let generation = 1;
  let stopWarming = () => {};
  const allowed = new Set([...LOOPBACK, ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  const clients = new Set<http.ServerResponse>();
  let port = 0;
  /** The parts of the current generation's data computed so far, as announced to the pages. */
  let computedParts: StepwisePart[] = [];
  const computedEvent = (part: StepwisePart) => `event: computed\ndata: ${generation} ${part}\n\n`;
  const announce = (of: number) => (part: StepwisePart) => {
    if (of !== generation) return;
    computedParts.push(part);
    for (const c of clients) c.write(computedEvent(part));
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    type: string,
    body: string | Iterable<string>,
    head: boolean,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': `${type}; charset=utf-8`, ...extra });
    if (head) {
      res.end();
      return;
    }
    if (typeof body === 'string') res.end(body);
    else {
      for (const chunk of body) res.write(chunk);
      res.end();
    }
  };
  const json = (res: http.ServerResponse, status: number, value: unknown, head: boolean) =>
    send(res, status, 'application/json', `${JSON.stringify(value, null, 2)}\n`, head);

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const head = req.method === 'HEAD';
    if (!hostAllowed(req.headers.host, port, allowed))
      return send(
        res,
        421,
        'text/plain',
        'Misdirected request: this server answers to localhost only.\n',
        head,
      );
    if (req.method !== 'GET' && !head)
      return send(res, 405, 'text/plain', 'Read-only: GET and HEAD only.\n', head, { Allow: 'GET, HEAD' });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return send(res, 400, 'text/plain', 'Bad request.\n', head);
    }
    if (options.token !== undefined) {
      const given = url.searchParams.get('token');
      if (given !== null) {
        if (!same(given, options.token))
          return send(res, 403, 'text/plain', 'Forbidden: wrong token.\n', head);
        url.searchParams.delete('token');
        const rest = url.searchParams.toString();
        return send(res, 303, 'text/plain', 'See other.\n', head, {
          'Set-Cookie': `${COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`,
          // One leading slash: `//host` would send the browser elsewhere.
          Location: `/${url.pathname.replace(/^[/\\]+/, '')}${rest ? `?${rest}` : ''}`,
        });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const cookie = cookieOf(req.headers.cookie, COOKIE);
      const presented = bearer ?? cookie;
      if (presented === undefined || !same(presented, options.token))
        return send(
          res,
          403,
          'text/plain',
          'Forbidden: this server needs its access token (open the URL it printed).\n',
          head,
        );
    }
    const path = url.pathname;
    if (path.startsWith('/api/')) return api(path, url, res, head);
    let sitePath = path.slice(1);
    // `/records/<ID>` is the record's address too (same depth, so the same relative links work).
    const bare = /^records\/([^/]+)$/.exec(sitePath);
    if (bare && isSafeId(bare[1]!)) sitePath = `${sitePath}.html`;
    const q = sitePath === 'search.html' ? url.searchParams.get('q') : null;
    const file = siteFile(data, sitePath, {
      live: true,
      generation,
      progressive: true,
      ...(sitePath === 'search.html' ? { search: searchRecords(data.search, q ?? '') } : {}),
    });
    if (!file) return send(res, 404, 'text/html', errorPage(404, 'No such page.'), head);
    return send(res, 200, file.type, file.body, head);
  };

  const api = (path: string, url: URL, res: http.ServerResponse, head: boolean) => {
    if (path === '/api/v1/overview') return json(res, 200, overviewJson(data, generation), head);
    if (path === '/api/v1/search')
      return json(
        res,
        200,
        searchJson(
          data,
          url.searchParams.get('q') ?? '',
          Number(url.searchParams.get('limit') ?? 50) || 50,
          generation,
        ),
        head,
      );
    if (path === '/api/v1/security') return json(res, 200, securityJson(data, generation), head);
    if (path === '/api/v1/records') {
      const kind = url.searchParams.get('kind');
      if (kind !== null && !isKind(kind)) return json(res, 404, { error: 'no such record kind' }, head);
      const page = Number(url.searchParams.get('page') ?? 1) || 1;
      return json(res, 200, recordsJson(data, kind ?? undefined, page, generation), head);
    }
    if (path === '/api/v1/diagnostics')
      return json(
        res,
        200,
        diagnosticsJson(data, Number(url.searchParams.get('page') ?? 1) || 1, generation),
        head,
      );
    const h = /^\/api\/v1\/records\/([^/]+)\/history$/.exec(path);
    if (h) {
      const record = isSafeId(h[1]!) ? data.analysis.graph.get(h[1]!) : undefined;
      if (!record) return json(res, 404, { error: 'no such record' }, head);
      const history = historyJson(data, record.id);
      return 'error' in history ? json(res, 404, history, head) : json(res, 200, history, head);
    }
    const m = /^\/api\/v1\/records\/([^/]+)$/.exec(path);
    if (m) {
      const record = isSafeId(m[1]!) ? data.analysis.graph.get(m[1]!) : undefined;
      if (!record) return json(res, 404, { error: 'no such record' }, head);
      return json(res, 200, recordJson(data, record, generation), head);
    }
    if (path === '/api/v1/events') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        Connection: 'keep-alive',
      });
      if (head) return res.end();
      res.write(`retry: 2000\nevent: analysis\ndata: ${generation}\n\n`);
      // A page served with parts being computed may connect after they were announced.
      for (const part of computedParts) res.write(computedEvent(part));
      clients.add(res);
      res.on('close', () => clients.delete(res));
      return;
    }
    return json(res, 404, { error: 'no such API endpoint' }, head);
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error.\n', req.method === 'HEAD');
      else res.end();
    }
  });
  server.keepAliveTimeout = 5000;
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 25_000);
  heartbeat.unref();

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      port = (server.address() as { port: number }).port;
      stopWarming = warmLater(data, options.warmAfterMs ?? 0, announce(generation));
      resolve({
        port,
        get generation() {
          return generation;
        },
        refresh(next) {
          data = next;
          generation++;
          stopWarming();
          computedParts = [];
          stopWarming = warmLater(next, WARM_AFTER_REFRESH_MS, announce(generation));
          for (const c of clients) c.write(`event: analysis\ndata: ${generation}\n\n`);
        },
        close: () =>
          new Promise<void>((done) => {
            clearInterval(heartbeat);
            for (const c of clients) c.end();
            clients.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
