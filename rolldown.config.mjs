// The `dossier` command (dist/cli/main.js and the chunks beside it), and the loader's reading thread
// (dist/cli/read-worker.js, where src/load/parallel-read.ts looks for it).
//
// Why a bundle: Node's ES module loader costs about 0.7 ms a file, and a command loads some 300 of
// them (Dossier's modules and its dependencies'): 0.3 s before any work, on every run. One file is
// compiled in a tenth of that. `tsc` still writes every module to dist/ (the library API, its types,
// the tests that import dist/), and type-checks; this config then writes the entry points over
// it from the sources. better-sqlite3 stays outside: a native addon found through its own package.
//
// Split along the commands: src/cli/main.ts imports only the command line (commander and the
// commands' options) and each command's action loads its module with `await import(…)`, so the
// bundle is cli.cjs plus chunks beside it (dist/cli/*-<hash>.cjs), one per command and one per group
// of modules they share. `--version` then compiles 0.17 MB instead of 3.9 MB, and `check` 1.2 MB,
// never the document renderers (docx, markdown-it, typst), the importers (excelts, ReqIF) or the
// advisory database.
//
// Why CommonJS for the command: V8's code cache (src/cli/code-cache.ts) needs scripts on Node 20,
// and it saves the compiling of the code each run calls (0.15 s of a `check` of 1,000 records).
// dist/cli/main.js, the installed command, is a small ES module (src/cli/bin.ts) that turns the
// cache on and loads cli.cjs. `strict`: the code keeps the semantics it has as ES modules.

const shared = {
  platform: 'node',
  external: ['better-sqlite3'],
  // The same behaviour as the compiled modules: no minifying, names kept for stack traces.
  output: { dir: 'dist/cli', minify: false },
};

export default [
  {
    ...shared,
    input: { cli: 'src/cli/main.ts' },
    output: {
      ...shared.output,
      format: 'cjs',
      strict: true,
      // `import('node:readline')` becomes a require: the code cache compiles scripts, which have no
      // loader for import() (test/code-cache.test.ts holds the chunks to it).
      dynamicImportInCjs: false,
      entryFileNames: '[name].cjs',
      chunkFileNames: '[name]-[hash].cjs',
    },
  },
  {
    ...shared,
    input: { main: 'src/cli/bin.ts' },
    output: { ...shared.output, format: 'esm', entryFileNames: '[name].js' },
  },
  {
    ...shared,
    input: { 'read-worker': 'src/load/read-worker.ts' },
    output: { ...shared.output, format: 'esm', entryFileNames: '[name].js' },
  },
];
