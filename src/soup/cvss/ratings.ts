/**
 * The CVSS ratings of a finding from the severities its advisory publishes (OSV `severity[].score`,
 * NVD `metrics` vectors): CVSS 3.0/3.1 vectors are scored (./v3.ts), CVSS 4.0 vectors too
 * (./v4.ts: the CVSS-B score, and the CVSS-BT/BE/BTE one when the vector has threat or environmental
 * metrics); CVSS 2.0 vectors are kept and said to be not scored; a text that is no vector (a
 * database rating such as "HIGH") is not a CVSS rating.
 */
import { type CvssSeverity, scoreCvss3 } from './v3.js';
import { type Cvss4Score, scoreCvss4 } from './v4.js';

export interface CvssRating {
  readonly vector: string;
  readonly version: '2.0' | '3.0' | '3.1' | '4.0' | 'unknown';
  /** Null when not computed: see `note`. Never a guess. */
  readonly baseScore: number | null;
  readonly severity: CvssSeverity | null;
  /**
   * Why there is no score (an unparseable vector, or a version Dossier does not score), or, for a
   * CVSS 4.0 vector with threat/environmental metrics, that `baseScore` is CVSS-B and what they give.
   */
  readonly note?: string;
  /** CVSS 4.0: the score of the vector's threat/environmental metrics too (see ./v4.ts). */
  readonly refined?: Cvss4Score['refined'];
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
    } else if (text.startsWith('CVSS:4.0/')) out.push(rating4(text));
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

function rating4(vector: string): CvssRating {
  const score = scoreCvss4(vector);
  if ('error' in score)
    return {
      vector,
      version: '4.0',
      baseScore: null,
      severity: null,
      note: `unparseable vector: ${score.error}`,
    };
  const { refined } = score;
  return {
    vector,
    version: '4.0',
    baseScore: score.baseScore,
    severity: score.severity,
    ...(refined
      ? {
          refined,
          note: `base score is CVSS-B (base metrics only); with the vector's threat/environmental metrics ${refined.nomenclature} is ${refined.score.toFixed(1)} ${refined.severity}`,
        }
      : {}),
  };
}

/**
 * The score in words, without the vector: "CVSS 3.1 9.8 Critical", "CVSS 4.0 9.3 Critical CVSS-B,
 * CVSS-BT 8.1 High" (4.0 names which metrics a score uses), or "CVSS 2.0 not scored".
 */
export function cvssScoreText(rating: CvssRating): string {
  if (rating.baseScore === null)
    return `CVSS ${rating.version === 'unknown' ? 'vector' : rating.version} not scored`;
  const base = `CVSS ${rating.version} ${rating.baseScore.toFixed(1)} ${rating.severity}`;
  if (rating.version !== '4.0') return base;
  const { refined } = rating;
  return `${base} CVSS-B${refined ? `, ${refined.nomenclature} ${refined.score.toFixed(1)} ${refined.severity}` : ''}`;
}

/** One line per rating: "CVSS 3.1 9.8 Critical (CVSS:3.1/…)", or the vector and why it has no score. */
export function cvssText(rating: CvssRating): string {
  return rating.baseScore !== null
    ? `${cvssScoreText(rating)} (${rating.vector})`
    : `CVSS ${rating.vector}: ${rating.note}`;
}
