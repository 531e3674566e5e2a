/**
 * Files that ship with Dossier (package.json, the data/ tables), found from wherever its code runs:
 * the compiled modules (dist/<folder>/…), the bundled command (dist/cli/main.js) or the sources
 * under test (src/<folder>/…). Each sits at its own depth below the package, so a path relative to
 * the module would hold for some of them only; the package root is found by walking up to the
 * package.json named `dossier` instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder that holds Dossier's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'dossier'
    ) {
      root = dir;
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir)
      throw new Error(`Dossier's package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A JSON file of the package, by its path from the package root (`data/…`, `package.json`). */
export function packageJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), relative), 'utf8')) as T;
}
