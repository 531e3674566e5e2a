/** What a signature means (21 CFR 11.50(a)(3)): authorship, review or approval. */
export const MEANINGS = ['authored', 'reviewed', 'approved'] as const;
export type Meaning = (typeof MEANINGS)[number];
