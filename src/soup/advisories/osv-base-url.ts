/** osv.dev's public bucket: `<base>/<ecosystem>/all.zip` (apart, for `dossier advisories sync --help`). */
export const OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
