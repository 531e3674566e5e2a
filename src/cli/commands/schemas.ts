import path from 'node:path';
import { jsonSchemas } from '../../model/json-schemas.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { EXIT } from '../io.js';
import { writeOut } from '../terminal.js';

export function runSchemas(options: { out: string }): number {
  const files = jsonSchemas();
  for (const [name, schema] of Object.entries(files)) {
    writeFileAtomic(path.resolve(options.out, name), `${JSON.stringify(schema, null, 2)}\n`);
  }
  writeOut(`Wrote ${Object.keys(files).length} JSON Schemas to ${options.out}/\n`);
  return EXIT.ok;
}
