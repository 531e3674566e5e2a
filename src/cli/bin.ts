#!/usr/bin/env node
/**
 * The `dossier` command as installed (dist/cli/main.js): turns on the code cache for the command's
 * chunks (src/cli/code-cache.ts), then runs the command (src/cli/main.ts, bundled as dist/cli/cli.cjs
 * with its chunks beside it; rolldown.config.mjs).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeCache } from './code-cache.js';

const here = path.dirname(fileURLToPath(import.meta.url));
installCodeCache(here);
createRequire(import.meta.url)(path.join(here, 'cli.cjs'));
