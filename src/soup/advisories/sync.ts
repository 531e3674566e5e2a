/**
 * Downloads osv.dev per-ecosystem `all.zip` archives into a cache folder and imports them. Downloads
 * stream to `<ecosystem>-all.zip.part`, resume with HTTP `Range`, are verified (length, MD5 when the
 * server gives one, the zip's central directory) and are renamed into place before the import.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes, type Limits, limitsOf, raiseHint } from '../../model/limits.js';
import { listZipEntries, type ZipArchiveError } from '../osv/read-zip.js';
import { type ImportProgress, type ImportSummary, importAdvisories } from './import.js';
import { OSV_BASE_URL } from './osv-base-url.js';
import type { AdvisoryStore } from './store.js';

export { OSV_BASE_URL };

export type SyncProgress =
  | {
      readonly ecosystem: string;
      readonly phase: 'download';
      /** Bytes on disk so far, including any resumed part. */
      readonly received: number;
      /** Size of the whole archive, when the server says. */
      readonly total?: number;
      /** Bytes already on disk when this request started (0 for a fresh download). */
      readonly resumedFrom: number;
    }
  | { readonly ecosystem: string; readonly phase: 'retry'; readonly attempt: number; readonly reason: string }
  | { readonly ecosystem: string; readonly phase: 'verify' }
  | { readonly ecosystem: string; readonly phase: 'import'; readonly read: number; readonly done: boolean }
  | { readonly ecosystem: string; readonly phase: 'failed'; readonly error: string };

export interface SyncOptions {
  /** Default {@link OSV_BASE_URL}. */
  readonly baseUrl?: string;
  /** OSV ecosystem names, as in the bucket: `PyPI`, `crates.io`, `Go`, `npm`… */
  readonly ecosystems: readonly string[];
  /** Where downloads are kept (`<ecosystem>-all.zip`, plus `.part` while downloading). */
  readonly cacheDir: string;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Default: the global `fetch`. */
  readonly fetchImpl?: typeof fetch;
  /** Further attempts after a network failure or an HTTP 5xx, each resuming the part (default 3). */
  readonly retries?: number;
  /** Wait before a retry, times the attempt number (default 1000 ms). */
  readonly retryDelayMs?: number;
  /** Give up on a request that delivers no data for this long (default 60 s). */
  readonly idleTimeoutMs?: number;
  readonly now?: () => Date;
  /**
   * Size limits: `maxDownloadBytes` bounds each archive (its announced length before anything is
   * written, and the bytes on disk while it streams), and the zip limits bound its import. Each one
   * not given is its default (src/model/limits.ts).
   */
  readonly limits?: Partial<Limits>;
}

export interface EcosystemSyncResult {
  readonly ecosystem: string;
  readonly url: string;
  readonly ok: boolean;
  /** The verified archive in the cache folder. */
  readonly file?: string;
  readonly bytes?: number;
  /** True when some bytes came from an earlier, interrupted download. */
  readonly resumed: boolean;
  /** True when the archive's MD5 was checked against `x-goog-hash` or the ETag. */
  readonly md5Verified: boolean;
  readonly import?: ImportSummary;
  readonly error?: string;
}

export interface SyncResult {
  /** True when every ecosystem was downloaded and imported. */
  readonly ok: boolean;
  readonly results: readonly EcosystemSyncResult[];
}

/** Failed, and trying again later may help (network, HTTP 5xx, a body cut short). */
class RetryableError extends Error {}

/** The archive is larger than `limits.maxDownloadBytes`: what was downloaded is removed, no retry. */
function tooLarge(url: string, bytes: number, limit: number, announced: boolean): Error {
  const what = announced
    ? `the server announces ${formatBytes(bytes)} for ${url}`
    : `the download of ${url} reached ${formatBytes(bytes)}`;
  const done = announced
    ? 'nothing was downloaded or imported'
    : 'the download was stopped, its partial file removed, and nothing was imported';
  return new Error(
    `${what}, over the limit of ${formatBytes(limit)} (limits.maxDownloadBytes); ${done}. If the archive is genuine, ${raiseHint('maxDownloadBytes')}`,
  );
}

/** The cache file name for an ecosystem (`Debian:12` → `Debian_12`). */
export function cacheNameFor(ecosystem: string): string {
  return ecosystem.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function allZipUrl(baseUrl: string, ecosystem: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

interface PartMeta {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly total?: number;
  readonly md5?: string;
}

function readMeta(file: string): PartMeta | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PartMeta;
  } catch {
    return undefined;
  }
}

function removeQuietly(...files: string[]): void {
  for (const f of files) fs.rmSync(f, { force: true });
}

/** The MD5 (base64) the server vouches for: GCS `x-goog-hash: md5=…`, else a strong ETag of 32 hex digits. */
export function expectedMd5(headers: Headers): string | undefined {
  const goog = headers.get('x-goog-hash');
  const fromGoog = goog ? /(?:^|[\s,])md5=([A-Za-z0-9+/]+=*)/.exec(goog)?.[1] : undefined;
  if (fromGoog) return fromGoog;
  const etag = /^"([0-9a-fA-F]{32})"$/.exec(headers.get('etag') ?? '')?.[1];
  return etag ? Buffer.from(etag, 'hex').toString('base64') : undefined;
}

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Downloaded {
  readonly bytes: number;
  readonly resumed: boolean;
  readonly md5?: string;
}

/** One HTTP request: appends to (or restarts) the part file. Throws RetryableError when it may be resumed. */
async function downloadOnce(
  url: string,
  part: string,
  metaFile: string,
  ecosystem: string,
  options: SyncOptions,
): Promise<Downloaded> {
  const fetchImpl = options.fetchImpl ?? fetch;
  let meta = readMeta(metaFile);
  if (!meta || meta.url !== url) {
    removeQuietly(part, metaFile);
    meta = undefined;
  }
  const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (have > 0 && meta) {
    headers.range = `bytes=${have}-`;
    const validator = meta.etag && !meta.etag.startsWith('W/') ? meta.etag : meta.lastModified;
    if (validator) headers['if-range'] = validator;
  }

  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let timer = setTimeout(() => controller.abort(), idleMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), idleMs);
  };
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw new RetryableError(`cannot reach ${url}: ${causeOf(error)}`);
    }
    if (response.status === 416 && have > 0) {
      // The part is already whole (or the object changed): check it, else start over.
      await response.body?.cancel();
      if (meta?.total === have) return { bytes: have, resumed: true, ...(meta.md5 ? { md5: meta.md5 } : {}) };
      removeQuietly(part, metaFile);
      throw new RetryableError('the server refused to resume the download; starting again');
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      const what = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${url}`;
      if (response.status === 404 || response.status === 403)
        throw new Error(
          `${what}: osv.dev has no archive for ecosystem "${ecosystem}" there (names are case-sensitive: PyPI, crates.io, Go, npm)`,
        );
      if (response.status >= 500 || response.status === 429) throw new RetryableError(what);
      throw new Error(what);
    }

    let start = 0;
    let total: number | undefined;
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== have) {
        await response.body?.cancel();
        removeQuietly(part, metaFile);
        throw new RetryableError('the server resumed at the wrong offset; starting again');
      }
      start = have;
      total = range[3] === '*' ? undefined : Number(range[3]);
    } else {
      // 200: a fresh download, or the server ignored the Range header: start over.
      total = Number.isFinite(length) ? length : undefined;
    }
    const maxBytes = limitsOf(undefined, options.limits).maxDownloadBytes;
    // The announced size, checked before a byte is written: Content-Range's total, else the bytes
    // already on disk plus this response's Content-Length.
    const announced = total ?? (Number.isFinite(length) ? start + length : undefined);
    if (announced !== undefined && announced > maxBytes) {
      await response.body?.cancel();
      removeQuietly(part, metaFile);
      throw tooLarge(url, announced, maxBytes, true);
    }
    const md5 = expectedMd5(response.headers) ?? (start > 0 ? meta?.md5 : undefined);
    const etag = response.headers.get('etag') ?? undefined;
    const lastModified = response.headers.get('last-modified') ?? undefined;
    const newMeta: PartMeta = {
      url,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
      ...(total !== undefined ? { total } : {}),
      ...(md5 ? { md5 } : {}),
    };
    fs.writeFileSync(metaFile, JSON.stringify(newMeta));

    const fd = fs.openSync(part, start > 0 ? 'a' : 'w');
    let received = start;
    const progress = () =>
      options.onProgress?.({
        ecosystem,
        phase: 'download',
        received,
        ...(total !== undefined ? { total } : {}),
        resumedFrom: start,
      });
    progress();
    // Counted as it streams, whatever the headers said: a body that passes the limit stops there.
    let overLimit = false;
    try {
      if (response.body) {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          touch();
          if (received + chunk.byteLength > maxBytes) {
            overLimit = true;
            received += chunk.byteLength;
            break; // leaving the loop cancels the body
          }
          fs.writeSync(fd, chunk);
          received += chunk.byteLength;
          progress();
        }
      }
    } catch (error) {
      throw new RetryableError(
        `the download of ${url} broke off after ${received.toLocaleString('en-US')} bytes: ${causeOf(error)}`,
      );
    } finally {
      fs.closeSync(fd);
    }
    if (overLimit) {
      controller.abort();
      removeQuietly(part, metaFile);
      throw tooLarge(url, received, maxBytes, false);
    }
    if (total !== undefined && received < total)
      throw new RetryableError(
        `the download of ${url} ended early (${received.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} bytes)`,
      );
    if (total !== undefined && received > total) {
      removeQuietly(part, metaFile);
      throw new Error(`the server sent more bytes than announced (${received} > ${total}) for ${url}`);
    }
    return { bytes: received, resumed: start > 0, ...(md5 ? { md5 } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

function causeOf(error: unknown): string {
  const e = error as Error & { cause?: { message?: string; code?: string } };
  if (e?.name === 'AbortError') return 'no data received for too long';
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message} (${cause})` : (e?.message ?? String(error));
}

async function syncOne(
  store: AdvisoryStore,
  ecosystem: string,
  baseUrl: string,
  options: SyncOptions,
): Promise<EcosystemSyncResult> {
  const url = allZipUrl(baseUrl, ecosystem);
  const final = path.join(options.cacheDir, `${cacheNameFor(ecosystem)}-all.zip`);
  const part = `${final}.part`;
  const metaFile = `${part}.json`;
  const retries = options.retries ?? 3;
  let resumed = false;
  try {
    fs.mkdirSync(options.cacheDir, { recursive: true });
    let downloaded: Downloaded | undefined;
    for (let attempt = 0; !downloaded; attempt++) {
      try {
        downloaded = await downloadOnce(url, part, metaFile, ecosystem, options);
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= retries) throw error;
        options.onProgress?.({ ecosystem, phase: 'retry', attempt: attempt + 1, reason: error.message });
        await sleep((options.retryDelayMs ?? 1000) * (attempt + 1));
      }
      if (downloaded?.resumed) resumed = true;
    }

    options.onProgress?.({ ecosystem, phase: 'verify' });
    const size = fs.statSync(part).size;
    if (size !== downloaded.bytes)
      throw new Error(`the download of ${url} is ${size} bytes on disk, expected ${downloaded.bytes}`);
    if (downloaded.md5) {
      const actual = await md5Of(part);
      if (actual !== downloaded.md5) {
        removeQuietly(part, metaFile);
        throw new Error(
          `the download of ${url} is corrupt (MD5 ${actual}, the server says ${downloaded.md5}); nothing was imported: run sync again`,
        );
      }
    }
    try {
      await listZipEntries(part);
    } catch (error) {
      removeQuietly(part, metaFile);
      throw new Error(
        `the download of ${url} is not a readable zip archive (${(error as ZipArchiveError).message}); nothing was imported: run sync again`,
      );
    }
    fs.renameSync(part, final);
    removeQuietly(metaFile);

    const summary = await importAdvisories(store, final, {
      sourceLabel: url,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.now ? { now: options.now() } : {}),
      onProgress: (p: ImportProgress) =>
        options.onProgress?.({ ecosystem, phase: 'import', read: p.read, done: p.done }),
    });
    return {
      ecosystem,
      url,
      ok: true,
      file: final,
      bytes: size,
      resumed,
      md5Verified: downloaded.md5 !== undefined,
      import: summary,
    };
  } catch (error) {
    const message = (error as Error).message;
    options.onProgress?.({ ecosystem, phase: 'failed', error: message });
    return { ecosystem, url, ok: false, resumed, md5Verified: false, error: message };
  }
}

/**
 * Downloads and imports each ecosystem's `all.zip` in turn. A failed ecosystem is reported in its
 * result and does not stop the others; `ok` is false when any failed.
 */
export async function syncAdvisories(store: AdvisoryStore, options: SyncOptions): Promise<SyncResult> {
  const baseUrl = options.baseUrl ?? OSV_BASE_URL;
  const results: EcosystemSyncResult[] = [];
  for (const ecosystem of options.ecosystems) results.push(await syncOne(store, ecosystem, baseUrl, options));
  return { ok: results.every((r) => r.ok), results };
}
