import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../load/config-load.js';
import { CONFIG_FILE_NAME } from '../../model/config.js';
import { jsonSchemas } from '../../model/json-schemas.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { EXIT, reportConfigProblems } from '../io.js';
import { writeOut } from '../terminal.js';

/**
 * `dossier schemas [dir]`: the JSON Schemas editors validate records with. Given a project, its
 * custom fields and id prefixes are in them, and they go to `<dir>/schemas` unless `--out` says
 * otherwise (the modelines `dossier init` writes point there); without one, the built-in schemas.
 */
export function runSchemas(dir: string | undefined, options: { out?: string }): number {
  let files: Record<string, unknown>;
  let out: string;
  if (dir !== undefined && fs.existsSync(path.join(dir, CONFIG_FILE_NAME))) {
    const loaded = loadConfig(dir);
    if (!loaded.config) return reportConfigProblems(loaded.findings, new Map(), dir);
    files = jsonSchemas(loaded.config);
    out = options.out ?? path.join(dir, 'schemas');
  } else {
    files = jsonSchemas();
    out = options.out ?? (dir !== undefined ? dir : 'schemas');
  }
  writeSchemaFiles(out, files);
  writeOut(`Wrote ${Object.keys(files).length} JSON Schemas to ${out}/\n`);
  return EXIT.ok;
}

export function writeSchemaFiles(out: string, files: Record<string, unknown>): void {
  for (const [name, schema] of Object.entries(files)) {
    writeFileAtomic(path.resolve(out, name), `${JSON.stringify(schema, null, 2)}\n`);
  }
}
