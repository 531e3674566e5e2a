// The `dossier` command as one file (dist/cli/main.js), and the loader's reading thread as another
// (dist/cli/read-worker.js, beside it, where src/load/parallel-read.ts looks for it).
//
// Why a bundle: Node's ES module loader costs about 0.7 ms a file, and a command loads some 300 of
// them (Dossier's modules and its dependencies'): 0.3 s before any work, on every run. One file is
// compiled in a tenth of that. `tsc` still writes every module to dist/ (the library API, its types,
// the tests that import dist/), and type-checks; this config then writes the two entry points over
// it from the sources. better-sqlite3 stays outside: a native addon found through its own package.
//
// Split along the commands: src/cli/main.ts imports only the command line (commander and the
// commands' options) and each command's action loads its module with `await import(…)`, so the
// bundle is main.js plus chunks beside it (dist/cli/*-<hash>.js), one per command and one per group
// of modules they share. `--version` then compiles 0.17 MB instead of 3.9 MB, and `check` 1.2 MB,
// never the document renderers (docx, markdown-it, typst), the importers (excelts, ReqIF) or the
// advisory database. The chunks stay in dist/cli/, beside read-worker.js, which the reader finds
// relative to its own chunk.

const shared = {
  platform: 'node',
  external: ['better-sqlite3'],
  // The same behaviour as the compiled modules: no minifying, names kept for stack traces.
  output: { dir: 'dist/cli', format: 'esm', minify: false },
};

export default [
  {
    ...shared,
    input: { main: 'src/cli/main.ts' },
    output: { ...shared.output, entryFileNames: '[name].js' },
  },
  {
    ...shared,
    input: { 'read-worker': 'src/load/read-worker.ts' },
    output: { ...shared.output, entryFileNames: '[name].js' },
  },
];
