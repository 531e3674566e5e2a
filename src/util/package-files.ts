/**
 * Files that ship with Dossier (package.json, the data/ tables), found from wherever its code runs:
 * the compiled modules (dist/<folder>/…), the bundled command (dist/cli/main.js) or the sources
 * under test (src/<folder>/…). Each sits at its own depth below the package, so a path relative to
 * the module would hold for some of them only; the package root is found by walking up instead, to
 * the first folder that holds a package.json and Dossier's data tables (whatever the package is
 * named: a fork may publish it under another name).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** A table every installation ships: its folder's parent is the package root. */
const MARKER = path.join('data', 'iec62304-ed1.1-applicability.json');

/** The folder that holds Dossier's package.json and data/. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const here = fileURLToPath(import.meta.url);
  for (let dir = path.dirname(here); ; ) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, MARKER))) {
      root = dir;
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      throw new Error(
        `Dossier's installation is incomplete: no folder above ${here} holds package.json and ${MARKER}; reinstall it`,
      );
    }
    dir = up;
  }
}

/** A JSON file of the package, by its path from the package root (`data/…`, `package.json`). */
export function packageJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), relative), 'utf8')) as T;
}
