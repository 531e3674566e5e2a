import { createHash, hash } from 'node:crypto';

/** Lower-case hex sha256 of text (as UTF-8) or bytes: report identity, manifests, content ids. */
export function sha256Hex(content: string | Uint8Array): string {
  // The one-shot hash of Node >= 20.12 skips the Hash object (fingerprints hash 100,000 records).
  if (typeof content === 'string') return hash('sha256', content, 'hex');
  return createHash('sha256').update(content).digest('hex');
}
