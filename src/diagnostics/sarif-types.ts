/** The subset of SARIF 2.1.0 Dossier writes (the full schema is validated in tests). */
export interface Sarif {
  $schema: string;
  version: '2.1.0';
  runs: unknown[];
}
