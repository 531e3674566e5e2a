import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The package version, read once from package.json (one level above dist/ and src/). */
export const DOSSIER_VERSION: string = (require('../package.json') as { version: string }).version;
export const DOSSIER_URI = 'https://github.com/dossier-dev/dossier';
