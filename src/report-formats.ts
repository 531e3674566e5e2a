/**
 * The output formats of each report, on their own so that the command line can offer them (in
 * `--help` and as choices) without loading the renderers: `dossier check` then parses only what it
 * runs (src/cli/main.ts loads each command's modules when it runs). The renderers re-export them.
 */
export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;
export const TRACE_FORMATS = ['text', 'markdown', 'csv', 'json'] as const;
export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export const HISTORY_FORMATS = ['text', 'markdown', 'json'] as const;
export const GAP_SCAN_FORMATS = ['text', 'json', 'markdown', 'html', 'svg'] as const;
export const CLASSIFY_FORMATS = ['text', 'markdown', 'json'] as const;
export const RISK_FORMATS = ['text', 'markdown', 'csv', 'json', 'svg'] as const;
export const IMPACT_FORMATS = ['text', 'markdown', 'json'] as const;
export const CHANGES_FORMATS = ['text', 'json', 'markdown'] as const;
export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export const VEX_FORMATS = ['cyclonedx', 'openvex'] as const;
export const SOUP_LIST_FORMATS = ['markdown', 'csv'] as const;
export const SUSPECT_FORMATS = ['text', 'json', 'markdown'] as const;
export const SCAN_FORMATS = ['text', 'json'] as const;
export const RELEASE_FORMATS = ['text', 'json'] as const;
export const SECURITY_FORMATS = ['text', 'json'] as const;
/** `dossier soup suggest-cpe --format`. */
export const SUGGEST_FORMATS = ['text', 'json'] as const;
/** `dossier advisories import|sync|status --format`. */
export const ADVISORIES_FORMATS = ['text', 'json'] as const;
/** The formats of the documentation package (docs/documents.md#formats). */
export const DOCUMENT_FORMATS = ['md', 'html', 'docx', 'pdf'] as const;
