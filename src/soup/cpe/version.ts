/**
 * Version ordering for the bounds of NVD CPE match criteria, where no ecosystem says how versions
 * sort (C and C++ libraries, RTOS kernels). NVD itself compares them loosely; a wrong order here is
 * a missed vulnerability, so this comparator is deliberately narrow and says when it cannot tell.
 *
 * A version is an optional letter prefix (`v`, `V` dropped; `R` as in FatFs `R0.15` kept and must be
 * the same on both sides), numeric dotted segments, and an optional suffix:
 * - segments compare as numbers, missing ones as 0 (`1.2` = `1.2.0`);
 * - a pre-release suffix (`-rc1`, `beta2`, `a1`, `.dev3`) sorts before the release, by kind (dev <
 *   alpha < beta < pre < rc) then number;
 * - any other suffix (`1.0.2k`, `2.2.0p1`, `-lts`) is equal only to the same suffix; two single
 *   letters compare alphabetically (`1.0.2k` < `1.0.2m`, OpenSSL's letter releases), and a word with
 *   a number against the same word with another number by that number (`p1` < `p2`). Against no
 *   suffix, or another kind of suffix, it is unknown: a letter may mean a later patch or an earlier
 *   pre-release depending on the project;
 * - a date-based scheme (a first segment of four or more digits, FreeRTOS LTS `202210.00`) against
 *   a semantic one (`10.4.3`) is unknown: numerically 202210 > 10 says nothing about the code.
 *
 * Unknown is never "not affected": the caller reports the criterion as needing a person
 * (IEC 62304 7.1.3; FDA premarket cybersecurity guidance: every known vulnerability assessed).
 */

export type VersionOrder = { readonly order: -1 | 0 | 1 } | { readonly unknown: string };

interface Parsed {
  readonly prefix: string;
  readonly segments: readonly number[];
  readonly suffix: string;
}

/**
 * Pre-release words, with an optional number; `a` and `b` only with a number (`a1`): a bare letter
 * after the digits is as often a later patch (OpenSSL `1.0.2k`) as an alpha.
 */
const PRE_RELEASE = /^(?:(dev|alpha|beta|preview|pre|rc)\.?(\d*)|(a|b)\.?(\d+))$/;
const PRE_RANK: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, preview: 3, pre: 3, rc: 4 };

function preRelease(suffix: string): { rank: number; n: number } | undefined {
  const m = PRE_RELEASE.exec(suffix);
  if (!m) return undefined;
  const word = m[1] ?? m[3]!;
  return { rank: PRE_RANK[word]!, n: Number(m[2] ?? m[4] ?? 0) || 0 };
}

function parse(text: string): Parsed | undefined {
  const m = /^([a-z]*)(\d+(?:\.\d+)*)(.*)$/i.exec(text.trim());
  if (!m) return undefined;
  const prefix = m[1]!.toLowerCase() === 'v' ? '' : m[1]!.toLowerCase();
  // A suffix separated by - . _ + or written straight after the digits.
  const suffix = m[3]!.toLowerCase().replace(/^[-._+]/, '');
  if (/[^a-z0-9._-]/.test(suffix)) return undefined;
  return { prefix, segments: m[2]!.split('.').map(Number), suffix };
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

function compareSuffixes(a: string, b: string): VersionOrder {
  if (a === b) return { order: 0 };
  const pa = preRelease(a);
  const pb = preRelease(b);
  // A pre-release sorts before its release.
  if (a === '' && pb) return { order: 1 };
  if (b === '' && pa) return { order: -1 };
  if (pa && pb) return { order: sign(pa.rank - pb.rank || pa.n - pb.n) };
  if (/^[a-z]$/.test(a) && /^[a-z]$/.test(b)) return { order: a < b ? -1 : 1 };
  const wa = /^([a-z]+)\.?(\d+)$/.exec(a);
  const wb = /^([a-z]+)\.?(\d+)$/.exec(b);
  if (wa && wb && wa[1] === wb[1]) return { order: sign(Number(wa[2]) - Number(wb[2])) };
  return {
    unknown: `the suffixes "${a || '(none)'}" and "${b || '(none)'}" have no known order (a later patch or an earlier pre-release?)`,
  };
}

/** Compares two versions of one product; `unknown` with the reason when they cannot be ordered. */
export function compareCVersions(a: string, b: string): VersionOrder {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb)
    return { unknown: `"${!pa ? a : b}" is not a dotted numeric version (with an optional suffix)` };
  if (pa.prefix !== pb.prefix)
    return {
      unknown: `"${a}" and "${b}" are written in different schemes (prefix "${pa.prefix}" and "${pb.prefix}")`,
    };
  const dateA = String(pa.segments[0]).length >= 4;
  const dateB = String(pb.segments[0]).length >= 4;
  if (dateA !== dateB)
    return {
      unknown: `"${a}" and "${b}" use different numbering schemes (a date-based release label and a semantic version)`,
    };
  const length = Math.max(pa.segments.length, pb.segments.length);
  for (let i = 0; i < length; i++) {
    const d = (pa.segments[i] ?? 0) - (pb.segments[i] ?? 0);
    if (d !== 0) return { order: sign(d) };
  }
  return compareSuffixes(pa.suffix, pb.suffix);
}
