import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { type SiteData, siteData } from '../src/site/data.js';
import { isSafeId, recordPath, relative } from '../src/site/paths.js';
import { searchRecords } from '../src/site/search.js';
import { siteFile, sitePaths } from '../src/site/site.js';
import { EXAMPLE, EXAMPLE_TRUST_ROOT, loadOk } from './helpers.js';
import { dataOf, HOSTILE_TITLE, hostileProject } from './site-fixtures.js';

const text = (data: SiteData, path: string): string => {
  const file = siteFile(data, path);
  if (!file) throw new Error(`no page at ${path}`);
  return typeof file.body === 'string' ? file.body : [...file.body].join('');
};

function exampleData(): SiteData {
  process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;
  return siteData(analyze(loadOk(EXAMPLE), { today: '2026-12-01' }), {
    displayRoot: 'examples/infusion-pump',
  });
}

describe('site pages of the example', () => {
  let data: SiteData;
  beforeAll(() => {
    data = exampleData();
  }, 300_000);

  it('overview: device, classes, documentation level, counts by kind, checks, releases, advisory data', () => {
    const html = text(data, 'index.html');
    expect(html).toContain('SP-200 Syringe Infusion Pump');
    expect(html).toContain('Meridian Infusion Technologies');
    expect(html).toContain('FDA documentation level</dt><dd>Enhanced');
    expect(html).toContain('href="kinds/software-requirement-1.html">Software requirement</a>');
    // The count the analysis has, so that the example may grow.
    const records = data.analysis.project.records.length;
    expect(records).toBeGreaterThan(400);
    expect(html).toMatch(new RegExp(`${records} records in \\d+ files`));
    expect(html).toContain('href="records/REL-002.html"');
    // No advisory data in the test: said, in grey, never green.
    expect(html).toContain('NOT CHECKED: no advisory data');
    expect(html).toContain('SOUP vulnerabilities NOT CHECKED');
  });

  it('record page: fields, rendered text, upstream and downstream with titles, file and line', () => {
    const html = text(data, 'records/SRS-001.html');
    expect(html).toContain('<span class="id">SRS-001</span> Motor step rate for the programmed flow rate');
    expect(html).toContain('<code>records/software/SRS-001.md:2</code>');
    expect(html).toContain(
      'href="../records/SYS-001.html" title="Flow rate range and delivery accuracy">SYS-001</a>',
    );
    expect(html).toContain('href="../records/TC-001.html"');
    expect(html).toContain('<div class="record-text"><p>The software shall convert');
    expect(html).toContain('Safety class</th><td>C</td>');
    const test = text(data, 'records/TC-001.html');
    expect(test).toContain('Latest result per software version');
    expect(test).toMatch(/<span class="badge ok">passed<\/span>/);
  });

  it('trace, risk, SOUP, diagnostics, releases and search pages show the example', () => {
    expect(text(data, 'trace.html')).toContain('rows with gaps only');
    const matrix = text(data, 'trace/requirements-1.html');
    expect(matrix).toContain('<table class="matrix">');
    expect(matrix).toContain('href="../records/SYS-001.html"');
    const risk = text(data, 'risk.html');
    expect(risk).toContain('<svg');
    expect(risk).toContain('href="records/HS-001.html"');
    expect(risk).toContain('href="risk/trace-1.html"');
    const riskTrace = text(data, 'risk/trace-1.html');
    expect(riskTrace).toContain('Software risk trace (7.3.3)');
    expect(riskTrace).toContain('href="../records/HS-001.html"');
    const soup = text(data, 'soup.html');
    expect(soup).toContain('44 SOUP items');
    expect(soup).toContain('not scanned: no advisory data');
    expect(soup).toContain('NOT CHECKED');
    expect(text(data, 'diagnostics/1.html')).toContain('grouped by rule and file');
    expect(text(data, 'releases.html')).toContain('Release 1.1.0');
    expect(text(data, 'search.html')).toContain('src="assets/search-index.js"');
  });

  it('every page has the CSP, no inline script or style, and relative links only', {
    timeout: 300_000,
  }, () => {
    let pages = 0;
    for (const path of sitePaths(data)) {
      if (!path.endsWith('.html')) continue;
      const html = text(data, path);
      pages++;
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self';`);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/<style/);
      expect(html).not.toMatch(/(?:href|src)="\//);
    }
    // A page per record, and the site's other pages.
    expect(pages).toBeGreaterThan(data.records.length);
  });

  it('search finds ids, titles and text; an exact id comes first', () => {
    expect(searchRecords(data.search, 'srs-001').hits[0]?.id).toBe('SRS-001');
    expect(searchRecords(data.search, 'occlusion').total).toBeGreaterThan(5);
    expect(searchRecords(data.search, 'microstep frequency').hits.map((h) => h.id)).toContain('SRS-001');
    expect(searchRecords(data.search, '   ').total).toBe(0);
  });

  it('search gives what a record-by-record scan gives, and never matches across two records', () => {
    const naive = (q: string) => {
      const words = q
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w !== '');
      return data.records
        .filter((r) => words.every((w) => `${r.id}\n${r.title}\n${r.text}`.toLowerCase().includes(w)))
        .map((r) => r.id);
    };
    for (const q of [
      'occlusion',
      'flow rate',
      'SRS',
      'the software shall',
      'tc-0',
      'zzz-no-such',
      'alarm pressure',
    ])
      expect([...searchRecords(data.search, q, 10_000).hits.map((h) => h.id)].sort(), q).toEqual(
        naive(q).sort(),
      );
    const last = data.records[data.records.length - 1]!;
    const next = data.records[data.records.length - 2]!;
    expect(
      searchRecords(data.search, `${next.text.slice(-3)}${last.id.slice(0, 3)}`.toLowerCase()).hits.length,
    ).toBeLessThanOrEqual(naive(`${next.text.slice(-3)}${last.id.slice(0, 3)}`).length);
  });

  it('is deterministic: two analyses give the same bytes for every file', { timeout: 300_000 }, () => {
    const again = exampleData();
    const hash = (d: SiteData) => {
      const h = createHash('sha256');
      for (const path of sitePaths(d)) h.update(path).update(text(d, path));
      return h.digest('hex');
    };
    expect(hash(again)).toBe(hash(data));
  });
});

describe('site paths and hostile records', () => {
  it('names files only after ids that match the id pattern', () => {
    expect(isSafeId('SRS-001')).toBe(true);
    for (const id of ['../etc', 'SRS-001/../x', 'srs-001', 'SRS-', 'SRS-1.html', 'SRS-001%2F', ''])
      expect(isSafeId(id)).toBe(false);
    expect(recordPath('../../etc/passwd')).toBeUndefined();
    expect(relative('records/SRS-001.html', 'index.html')).toBe('../index.html');
  });

  it('resolves nothing outside the URL scheme', () => {
    const data = dataOf(hostileProject());
    for (const path of [
      'records/../dossier.yaml',
      'records/..%2Fdossier.yaml',
      '../dossier.yaml',
      'dossier.yaml',
      'assets/../dossier.yaml',
      'records/SRS-001.md',
      'kinds/nope-1.html',
      'kinds/test-0.html',
      'kinds/test-2.html',
      'diagnostics/0.html',
      'trace/../index.html',
    ])
      expect(siteFile(data, path), path).toBeUndefined();
    expect(siteFile(data, 'records/SRS-001.html')).toBeDefined();
  });

  it('renders a hostile title and a javascript: link as text, everywhere', () => {
    const data = dataOf(hostileProject());
    const record = text(data, 'records/SRS-002.html');
    expect(record).not.toContain('<img src=x');
    expect(record).not.toContain('<script>alert');
    expect(record).not.toMatch(/href="(?:javascript|data):/i);
    expect(record).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(record).toContain('[here](javascript:alert(1))');
    expect(record).toContain('href="https://example.com/"');
    for (const path of [
      'records/SYS-001.html',
      'kinds/software-requirement-1.html',
      'trace/requirements-1.html',
    ]) {
      const html = text(data, path);
      expect(html, path).not.toContain('<img src=x');
      expect(html, path).toContain('&quot;&gt;&lt;img');
    }
    // The static search index is a script file: the title is a JSON string in it, never markup.
    const index = text(data, 'assets/search-index.js');
    expect(index).toContain(JSON.stringify(HOSTILE_TITLE));
  });
});
