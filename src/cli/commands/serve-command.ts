/** The options of `dossier serve`; the server and the site load when it runs. */
import type { Command } from 'commander';
import type { ServeOptions } from './serve.js';

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
    .option(
      '--editor <name|template>',
      'record pages link file and line to an editor: vscode, vscodium, cursor, idea, sublime, none, or a URL template with {path} and {line}',
      'vscode',
    )
    .option('--no-watch', 'do not watch the project for changes')
    .option(
      '--no-cache',
      'neither use nor write the parse cache in .dossier/cache/ (also DOSSIER_NO_CACHE=1)',
    )
    .addHelpText(
      'after',
      `
Serves the same pages as the static site of \`dossier build\` (site/), and a JSON API under /api/v1/
(docs/json.md). Requests whose Host header is not localhost are refused (DNS rebinding); with
--host, every request needs the access token printed at start-up. Docs: docs/site.md.`,
    )
    .action(async (dir: string, opts: ServeOptions) =>
      setExit(await (await import('./serve.js')).runServe(dir, opts)),
    );
}
