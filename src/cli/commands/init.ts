import fs from 'node:fs';
import path from 'node:path';
import { starterFiles } from '../../init/starter.js';
import { configFileRefusal, recordFileRefusal } from '../../load/would-load.js';
import { CONFIG_FILE_NAME, DEFAULT_MAX_FILE_BYTES } from '../../model/config.js';
import { jsonSchemas } from '../../model/json-schemas.js';
import { SAFETY_CLASSES } from '../../model/vocabulary.js';
import { createFileExclusive } from '../../util/atomic-write.js';
import { displayRoot, EXIT, oneOf, UsageError } from '../io.js';
import { writeOut } from '../terminal.js';
import { writeSchemaFiles } from './schemas.js';

export interface InitOptions {
  name: string;
  manufacturer: string;
  class: string;
}

export function runInit(dir: string, options: InitOptions): number {
  const safetyClass = oneOf(options.class, SAFETY_CLASSES, '--class');
  const root = path.resolve(dir);
  if (fs.existsSync(path.join(root, 'dossier.yaml'))) {
    throw new UsageError(`${displayRoot(dir)}/dossier.yaml already exists; init never overwrites a project`);
  }
  const files = starterFiles({ name: options.name, manufacturer: options.manufacturer, safetyClass });
  // Nothing is written that the loader would refuse (an empty --name makes dossier.yaml invalid).
  for (const [rel, content] of Object.entries(files)) {
    if (!/\.(ya?ml|md)$/.test(rel)) continue; // .gitignore: not read by the loader
    const refusal =
      rel === CONFIG_FILE_NAME
        ? configFileRefusal(content)
        : recordFileRefusal(rel, content, DEFAULT_MAX_FILE_BYTES);
    if (refusal) {
      throw new UsageError(`${refusal}; check --name and --manufacturer. Nothing was written`);
    }
  }
  const written: string[] = [];
  const skipped: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    (createFileExclusive(path.join(root, rel), content) ? written : skipped).push(rel);
  }
  // The schemas the modelines point at, so that editors validate the files from the start.
  const schemaDir = path.join(root, 'schemas');
  if (!fs.existsSync(schemaDir)) writeSchemaFiles(schemaDir, jsonSchemas());
  const shown = displayRoot(dir);
  writeOut(
    `Created a Dossier project in ${shown}/ (${written.length} files, and JSON Schemas in schemas/)\n`,
  );
  for (const rel of skipped) writeOut(`  kept your existing ${rel}\n`);
  writeOut(
    `\nNext:\n  dossier check ${shown}\n  dossier build ${shown} --out ${shown === '.' ? '' : `${shown}/`}out\n`,
  );
  return EXIT.ok;
}
