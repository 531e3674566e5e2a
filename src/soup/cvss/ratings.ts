/**
 * The CVSS ratings of a finding from the severities its advisory publishes (OSV `severity[].score`,
 * NVD `metrics` vectors): CVSS 3.0/3.1 vectors are scored (./v3.ts); CVSS 2.0 and 4.0 vectors are
 * kept and said to be not scored (4.0 needs FIRST's lookup tables, which Dossier does not carry); a
 * text that is no vector (a database rating such as "HIGH") is not a CVSS rating.
 */
import { type CvssSeverity, scoreCvss3 } from './v3.js';

export interface CvssRating {
  readonly vector: string;
  readonly version: '2.0' | '3.0' | '3.1' | '4.0' | 'unknown';
  /** Null when not computed: see `note`. Never a guess. */
  readonly baseScore: number | null;
  readonly severity: CvssSeverity | null;
  /** Why there is no score (an unparseable vector, or a version Dossier does not score). */
  readonly note?: string;
}

const V2 = /^\(?AV:[LAN]\/AC:[HML]\/Au:[MSN]\//;

export function cvssRatings(severity: readonly string[]): CvssRating[] {
  const out: CvssRating[] = [];
  for (const text of new Set(severity.map((s) => s.trim()))) {
    if (/^CVSS:3\.[01]\//.test(text)) {
      const score = scoreCvss3(text);
      out.push(
        'error' in score
          ? {
              vector: text,
              version: text.slice(5, 8) as '3.0' | '3.1',
              baseScore: null,
              severity: null,
              note: `unparseable vector: ${score.error}`,
            }
          : { vector: text, version: score.version, baseScore: score.baseScore, severity: score.severity },
      );
    } else if (text.startsWith('CVSS:4.0/'))
      out.push({
        vector: text,
        version: '4.0',
        baseScore: null,
        severity: null,
        note: 'CVSS 4.0 score not computed',
      });
    else if (V2.test(text))
      out.push({
        vector: text,
        version: '2.0',
        baseScore: null,
        severity: null,
        note: 'CVSS 2.0 score not computed',
      });
    else if (text.startsWith('CVSS:'))
      out.push({
        vector: text,
        version: 'unknown',
        baseScore: null,
        severity: null,
        note: 'unparseable vector: unknown CVSS version',
      });
  }
  return out;
}

/** One line per rating: "CVSS 3.1 9.8 Critical (CVSS:3.1/…)", or the vector and why it has no score. */
export function cvssText(rating: CvssRating): string {
  return rating.baseScore !== null
    ? `CVSS ${rating.version} ${rating.baseScore.toFixed(1)} ${rating.severity} (${rating.vector})`
    : `CVSS ${rating.vector}: ${rating.note}`;
}
