import { packageJson } from './util/package-files.js';

/** The package version, read once from package.json. */
export const DOSSIER_VERSION: string = packageJson<{ version: string }>('package.json').version;
export const DOSSIER_URI = 'https://github.com/dossier-dev/dossier';
