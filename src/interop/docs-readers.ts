/**
 * The docs-as-code readers by format name, for the `dossier import FORMAT` command: each takes
 * the paths the user gave (files or directories) and returns an ImportBatch. Readers with options
 * (need types, link types, a needs.json version) are called here with their defaults; a command
 * that exposes those options calls the reader itself.
 */
import { readDoorstop } from './doorstop/read.js';
import { readMlxRst } from './mlx-rst/read.js';
import type { ImportBatch } from './model.js';
import { readNeedsJson } from './needs-json/read.js';
import { readOft } from './oft/read.js';
import { readSdoc } from './sdoc/read.js';
import { readSphinxNeedsRst } from './sphinx-needs-rst/read.js';

export type DocsFormat = 'needs-json' | 'sphinx-needs-rst' | 'mlx-rst' | 'sdoc' | 'doorstop' | 'oft';

export const DOCS_READERS: Readonly<Record<DocsFormat, (paths: readonly string[]) => Promise<ImportBatch>>> =
  {
    'needs-json': (paths) => readNeedsJson(paths),
    'sphinx-needs-rst': (paths) => readSphinxNeedsRst(paths),
    'mlx-rst': (paths) => readMlxRst(paths),
    sdoc: (paths) => readSdoc(paths),
    doorstop: (paths) => readDoorstop(paths),
    oft: (paths) => readOft(paths),
  };
