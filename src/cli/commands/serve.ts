/**
 * `dossier serve [dir]`: the project's site (docs/site.md) from a local, read-only server that
 * re-analyses the project when a file changes. The site modules load only when this command runs.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Project } from '../../load/project.js';
import { limitsOf } from '../../model/limits.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { projectFileReader } from '../evidence-hasher.js';
import { displayRoot, EXIT, loadOrReport, UsageError } from '../io.js';
import { writeErr, writeOut } from '../terminal.js';

export interface ServeOptions {
  port: string;
  host: string;
  allowedHosts?: string;
  advisories?: string;
  watch: boolean;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', 'localhost', '::1']);

function portOf(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port ${value}: not a port number (0-65535)`);
  return Number(value);
}

export function registerServeCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('serve')
    .description('Browse the project in a web browser: a local, read-only server with live update')
    .argument('[dir]', 'project folder', '.')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '8462')
    .option(
      '--host <address>',
      'address to listen on; any other than 127.0.0.1 needs --allowed-hosts and prints an access token',
      '127.0.0.1',
    )
    .option(
      '--allowed-hosts <names>',
      'comma-separated host names the Host header may name besides localhost',
    )
    .option(
      '--advisories <db>',
      'advisory database for the SOUP scan (default: .dossier/advisories.sqlite when present)',
    )
    .option('--no-watch', 'do not watch the project for changes')
    .addHelpText(
      'after',
      `
Serves the same pages as the static site of \`dossier build\` (site/), and a JSON API under /api/v1/
(docs/json.md). Requests whose Host header is not localhost are refused (DNS rebinding); with
--host, every request needs the access token printed at start-up. Docs: docs/site.md.`,
    )
    .action(async (dir: string, opts: ServeOptions) => setExit(await runServe(dir, opts)));
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
  const loaded = loadOrReport(dir, 'report');
  if (!loaded.project) return loaded.exitCode!;
  const { siteData } = await import('../../site/data.js');
  const { startSiteServer } = await import('../../site/server.js');
  const { watchProject } = await import('../../site/watch.js');
  const dataOf = (project: Project) => {
    const { analysis } = analyzeWithAdvisories(dir, project, options.advisories, { required: false });
    return siteData(analysis, {
      displayRoot: displayRoot(dir),
      readEvidence: projectFileReader(dir, limitsOf(project.config.limits).maxReportBytes),
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
  const shown = exposed ? allowedHosts[0]! : host === '::1' ? '[::1]' : host;
  writeOut(
    `Dossier serving ${displayRoot(dir)} at http://${shown}:${server.port}/${token ? `?token=${token}` : ''}\n` +
      (token ? 'The access token above is shown once; every request needs it.\n' : '') +
      'Press Ctrl+C to stop.\n',
  );
  let running = false;
  let again = false;
  const reload = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const started = Date.now();
      const next = loadOrReport(dir, 'report');
      if (next.project) {
        server.refresh(dataOf(next.project));
        writeErr(`re-analysed in ${Date.now() - started} ms\n`);
      } else writeErr('warning: the project did not load; still showing the previous analysis\n');
    } catch (error) {
      writeErr(
        `warning: re-analysis failed (${error instanceof Error ? error.message : 'unknown error'}); still showing the previous analysis\n`,
      );
    } finally {
      running = false;
      if (again) {
        again = false;
        setImmediate(reload);
      }
    }
  };
  const watcher = options.watch ? watchProject(dir, reload) : undefined;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  watcher?.close();
  await server.close();
  return EXIT.ok;
}
