import { createHash } from 'node:crypto';

/** Lower-case hex sha256 of text (as UTF-8) or bytes: report identity, manifests, content ids. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
