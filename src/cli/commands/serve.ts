/**
 * `dossier serve [dir]`: the project's site (docs/site.md) from a local, read-only server that
 * re-analyses the project when a file changes. The site modules load only when this command runs.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Analysis } from '../../analyze.js';
import { FileMemo } from '../../load/file-memo.js';
import type { Project } from '../../load/project.js';
import { limitsOf } from '../../model/limits.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { projectFileReader } from '../evidence-hasher.js';
import { displayRoot, EXIT, loadOrReport, parseCacheWanted, UsageError } from '../io.js';
import { writeErr, writeOut } from '../terminal.js';

export interface ServeOptions {
  port: string;
  host: string;
  allowedHosts?: string;
  advisories?: string;
  editor?: string;
  watch: boolean;
  cache?: boolean;
}

/** How long after a targeted reload, with no change since, the full load that confirms it runs. */
const CONFIRM_AFTER_MS = 2000;
/** How long after an analysis is shown the server prepares for the next edit (while pages are read). */
const PREPARE_AFTER_MS = 500;

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', 'localhost', '::1']);

function portOf(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port ${value}: not a port number (0-65535)`);
  return Number(value);
}

export async function runServe(dir: string, options: ServeOptions): Promise<number> {
  const port = portOf(options.port);
  const host = options.host;
  const allowedHosts = (options.allowedHosts ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (const h of allowedHosts)
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(h))
      throw new UsageError(`--allowed-hosts ${h}: not a host name`);
  const exposed = !LOOPBACK_ADDRESSES.has(host);
  if (exposed && allowedHosts.length === 0)
    throw new UsageError(
      `--host ${host} needs --allowed-hosts: the host names clients use to reach this server`,
    );
  const { editorTemplate } = await import('../../site/editor.js');
  let editor: string | undefined;
  try {
    editor = editorTemplate(options.editor ?? 'vscode');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // The parse cache speeds up the start; the file memo, every reload after a change (only the files
  // that changed are read again).
  const fileMemo = new FileMemo();
  const loaded = loadOrReport(dir, 'report', { parseCache: parseCacheWanted(options), fileMemo });
  if (!loaded.project) return loaded.exitCode!;
  const { siteData } = await import('../../site/data.js');
  const { startSiteServer } = await import('../../site/server.js');
  const { watchProject } = await import('../../site/watch.js');
  const { Reloader } = await import('../../site/reloader.js');
  const { prepareForEdits } = await import('../../safety/safety-analysis.js');
  // Each analysis starts from the one before (src/analyze.ts, `previous`): what did not change is reused.
  let previous: Analysis | undefined;
  const dataOf = (project: Project) => {
    const { analysis } = analyzeWithAdvisories(dir, project, options.advisories, {
      required: false,
      ...(previous ? { previous } : {}),
    });
    previous = analysis;
    // While idle, what the first edit's re-analysis would otherwise wait for.
    setTimeout(() => {
      if (previous === analysis) prepareForEdits(analysis.safety);
    }, PREPARE_AFTER_MS).unref();
    return siteData(analysis, {
      displayRoot: displayRoot(dir),
      readEvidence: projectFileReader(dir, limitsOf(project.config.limits).maxReportBytes),
      ...(editor ? { editor: { template: editor, root: project.root } } : {}),
    });
  };
  const token = exposed ? randomBytes(24).toString('hex') : undefined;
  const server = await startSiteServer({
    data: dataOf(loaded.project),
    host,
    port,
    allowedHosts,
    ...(token ? { token } : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL')
      throw new UsageError(
        `cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (try --port 0)' : error.message}`,
      );
    throw error;
  });
  let started = 0;
  let loadedAt = 0;
  const reloader = new Reloader(loaded.project, {
    root: loaded.project.root,
    confirmAfterMs: CONFIRM_AFTER_MS,
    load(changed) {
      started = Date.now();
      const next = loadOrReport(dir, 'report', { fileMemo, ...(changed ? { changedFiles: changed } : {}) });
      loadedAt = Date.now();
      if (!next.project) writeErr('warning: the project did not load; still showing the previous analysis\n');
      return next.project;
    },
    show(project, { confirming }) {
      server.refresh(dataOf(project));
      writeErr(
        `${confirming ? 'found on confirming the files: ' : ''}re-analysed in ${Date.now() - started} ms ` +
          `(${fileMemo.read} of ${fileMemo.read + fileMemo.reused} files read again` +
          `${fileMemo.targeted ? ', only the files the watcher named looked at' : ''}, load ${loadedAt - started} ms)\n`,
      );
    },
    same: sameLoad,
    onError(error) {
      writeErr(
        `warning: re-analysis failed (${error instanceof Error ? error.message : 'unknown error'}); still showing the previous analysis\n`,
      );
    },
  });
  const watcher = options.watch ? watchProject(dir, (changes) => reloader.changed(changes)) : undefined;
  // Watching before the address is printed: a change made as soon as it is seen is not missed.
  const shown = exposed ? allowedHosts[0]! : host === '::1' ? '[::1]' : host;
  writeOut(
    `Dossier serving ${displayRoot(dir)} at http://${shown}:${server.port}/${token ? `?token=${token}` : ''}\n` +
      (token ? 'The access token above is shown once; every request needs it.\n' : '') +
      'Press Ctrl+C to stop.\n',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  watcher?.close();
  reloader.close();
  await server.close();
  return EXIT.ok;
}

/**
 * Whether a full load found exactly what the load shown had: the same records (the same objects,
 * or equal ones for a file read again, as one changed within the racy window is), the same problems.
 */
function sameLoad(shown: Project, now: Project): boolean {
  return (
    shown.records.length === now.records.length &&
    shown.records.every((r, i) => r === now.records[i] || isDeepStrictEqual(r, now.records[i])) &&
    shown.sources.size === now.sources.size &&
    isDeepStrictEqual(shown.findings, now.findings) &&
    isDeepStrictEqual(shown.unloaded, now.unloaded) &&
    isDeepStrictEqual(shown.codeTags, now.codeTags)
  );
}
