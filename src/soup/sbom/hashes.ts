/**
 * Component hashes in the spellings each format requires. Records may carry an algorithm as
 * `sha256`, `SHA-256` or `sha-256`, and a digest as hex or as base64 (npm `integrity` values), so
 * both are normalised; an algorithm neither format knows is left out rather than mislabelled.
 */

export interface NormalisedHash {
  /** CycloneDX `hash-alg` enum value, e.g. `SHA-256`. */
  readonly cyclonedx: string;
  /** SPDX 2.3 checksum algorithm, e.g. `SHA256`. */
  readonly spdx: string;
  /** OpenVEX hash key, when OpenVEX has one (e.g. `sha-256`). */
  readonly openvex?: string;
  /** Lower-case hex digest. */
  readonly hex: string;
}

/** Key: algorithm upper-cased with separators removed. Values: CycloneDX, SPDX, OpenVEX names, bytes. */
const ALGORITHMS: Readonly<Record<string, readonly [string, string, string | undefined, number]>> = {
  MD5: ['MD5', 'MD5', 'md5', 16],
  SHA1: ['SHA-1', 'SHA1', 'sha1', 20],
  SHA256: ['SHA-256', 'SHA256', 'sha-256', 32],
  SHA384: ['SHA-384', 'SHA384', 'sha-384', 48],
  SHA512: ['SHA-512', 'SHA512', 'sha-512', 64],
  SHA3256: ['SHA3-256', 'SHA3-256', 'sha3-256', 32],
  SHA3384: ['SHA3-384', 'SHA3-384', 'sha3-384', 48],
  SHA3512: ['SHA3-512', 'SHA3-512', 'sha3-512', 64],
  BLAKE2B256: ['BLAKE2b-256', 'BLAKE2b-256', 'blake2b-256', 32],
  BLAKE2B384: ['BLAKE2b-384', 'BLAKE2b-384', undefined, 48],
  BLAKE2B512: ['BLAKE2b-512', 'BLAKE2b-512', 'blake2b-512', 64],
  BLAKE3: ['BLAKE3', 'BLAKE3', undefined, 32],
};

/** Hex digest of `bytes` bytes from hex or base64 text (an npm-style `sha512-` prefix is dropped). */
function hexDigest(content: string, bytes: number): string | undefined {
  const text = content.trim().replace(/^[A-Za-z0-9]+-(?=[A-Za-z0-9+/]{16})/, '');
  if (/^[0-9a-fA-F]+$/.test(text) && text.length === bytes * 2) return text.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  return undefined;
}

export function normaliseHash(hash: {
  readonly alg: string;
  readonly content: string;
}): NormalisedHash | undefined {
  const names = ALGORITHMS[hash.alg.toUpperCase().replace(/[^A-Z0-9]/g, '')];
  if (!names) return undefined;
  const [cyclonedx, spdx, openvex, bytes] = names;
  const hex = hexDigest(hash.content, bytes);
  if (hex === undefined) return undefined;
  return openvex ? { cyclonedx, spdx, openvex, hex } : { cyclonedx, spdx, hex };
}

/** The component's usable hashes, one per algorithm, ordered by algorithm name. */
export function normaliseHashes(
  hashes: readonly { readonly alg: string; readonly content: string }[] | undefined,
): NormalisedHash[] {
  const byAlg = new Map<string, NormalisedHash>();
  for (const h of hashes ?? []) {
    const n = normaliseHash(h);
    if (n && !byAlg.has(n.cyclonedx)) byAlg.set(n.cyclonedx, n);
  }
  return [...byAlg.values()].sort((a, b) =>
    a.cyclonedx < b.cyclonedx ? -1 : a.cyclonedx > b.cyclonedx ? 1 : 0,
  );
}
