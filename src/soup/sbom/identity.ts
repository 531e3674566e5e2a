/**
 * Deterministic identifiers for the generated documents: the same records always give the same
 * serial numbers and namespaces, and any change of content gives new ones. Nothing here reads the
 * clock or a random source.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../util/canonical-json.js';
import { formatPurl } from '../purl.js';
import type { SbomProduct } from './types.js';

export { sha256Hex } from '../../util/hash.js';

/**
 * A name-based UUID from SHA-256, laid out as RFC 9562 UUIDv8 (its appendix B.2 describes exactly
 * this use): the first 128 bits of the digest with the version and variant bits set. `kind`
 * separates the identifier spaces, so a CycloneDX SBOM, its VEX and the SPDX document never share
 * an id even when built from the same content.
 */
export function contentUuid(kind: string, content: unknown): string {
  const bytes = createHash('sha256')
    .update(`${kind}\n${canonicalJson(content)}`, 'utf8')
    .digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** CycloneDX BOM-Link to an element of BOM `serialNumber` (urn:uuid:…) version `version`. */
export function bomLink(serialNumber: string, version: number, ref: string): string {
  return `urn:cdx:${serialNumber.replace(/^urn:uuid:/, '')}/${version}#${encodeURIComponent(ref)}`;
}

/**
 * The device software has no package registry, so it gets a `generic` purl from its name and
 * version. All three formats carry it, so an OpenVEX product id matches the SBOM's product.
 */
export function productPurl(product: SbomProduct): string {
  return formatPurl({ type: 'generic', name: product.name, version: product.version });
}

/** A slug for URIs: lower case letters, digits, dots and hyphens. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unnamed'
  );
}

/** RFC 3339 date-time for a YYYY-MM-DD date (midnight UTC); other values pass through unchanged. */
export function dateTimeOf(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
}
