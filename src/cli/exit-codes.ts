/**
 * Exit codes shared by every command. 2 means "cannot run": a usage or configuration error, or a
 * command that writes artefacts, verdicts or records refusing because record files did not load.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;
