/**
 * The trust root: the key allowed to certify the signers file. Its pin lives outside the data it
 * vouches for, in the environment variable DOSSIER_TRUST_ROOT (set in protected CI configuration,
 * or a signer's own shell), never in dossier.yaml: anyone who can edit the repository could change
 * a pin kept there, add their own key to the signers file as "QA" and certify it themselves.
 */
import type { Finding } from '../diagnostics/diagnostic.js';
import { anchorIn, certificationPayload, type ReadFile, type SignersFile } from './files.js';
import { trustPinOf, verifyPayload } from './keys.js';

export const TRUST_ROOT_ENV = 'DOSSIER_TRUST_ROOT';

/** The pins a run trusts: none (not set), a list, or a value that is not a list of pins. */
export type TrustPins =
  | { readonly state: 'unset' }
  | { readonly state: 'set'; readonly pins: readonly string[] }
  | { readonly state: 'malformed'; readonly why: string };

/** Reads `sha256:<64 hex>[,sha256:<64 hex>…]`; anything else is malformed (and trusts nothing). */
export function parseTrustPins(value: string | undefined): TrustPins {
  if (value === undefined || value.trim() === '') return { state: 'unset' };
  const pins = value.split(',').map((p) => p.trim().toLowerCase());
  const bad = pins.filter((p) => !/^sha256:[0-9a-f]{64}$/.test(p));
  if (bad.length > 0) {
    return {
      state: 'malformed',
      why: `${TRUST_ROOT_ENV} must be one or more sha256:<64 hex digits>, comma-separated (as \`dossier signer certify\` prints it); got ${JSON.stringify(bad[0])}`,
    };
  }
  return { state: 'set', pins };
}

export const trustPinsFromEnv = (): TrustPins => parseTrustPins(process.env[TRUST_ROOT_ENV]);

/** Whether the signer identities of the signers file can be relied on. */
export type SignerTrust =
  /** No signers file. */
  | { readonly state: 'absent' }
  /** The file is certified by a pinned root key. */
  | { readonly state: 'certified'; readonly pin: string }
  /** Integrity only: no pin is set; `pin` is the certifying key's, when the certification verifies. */
  | { readonly state: 'not-pinned'; readonly pin?: string; readonly why: string }
  /** The file cannot be relied on at all. */
  | { readonly state: 'untrusted'; readonly why: string; readonly finding?: Finding };

/** Judges the certification of a signers file against the pins. */
export function signerTrust(file: ReadFile<SignersFile>, pins: TrustPins): SignerTrust {
  if (file.state === 'absent') return { state: 'absent' };
  if (file.state === 'invalid') return { state: 'untrusted', why: 'the signers file is not valid' };
  const { value, source } = file;
  const certification = value.certifiedBy;
  const at = anchorIn(source, certification ? ['certifiedBy'] : []);
  const untrusted = (why: string): SignerTrust => ({
    state: 'untrusted',
    why,
    finding: { code: 'signature/signers-untrusted', message: `${source.path}: ${why}`, at },
  });
  if (pins.state === 'malformed') return untrusted(pins.why);
  if (!certification) {
    return pins.state === 'unset'
      ? { state: 'not-pinned', why: `${source.path} is not certified and ${TRUST_ROOT_ENV} is not set` }
      : untrusted('the signers list is not certified by the trust root (`dossier signer certify`)');
  }
  if (!verifyPayload(certification.key, certificationPayload(value.signers), certification.signature)) {
    return untrusted(
      'the certification does not verify: the signers list changed since the trust root certified it (or the certification was altered); have the trust root holder review and certify it again',
    );
  }
  const pin = trustPinOf(certification.key)!;
  if (pins.state === 'unset') {
    return {
      state: 'not-pinned',
      pin,
      why: `${TRUST_ROOT_ENV} is not set, so the certifying key ${pin} is not known to be the trust root`,
    };
  }
  if (!pins.pins.includes(pin)) {
    return untrusted(
      `the signers list is certified by ${pin}, which is not a trust root pinned in ${TRUST_ROOT_ENV}`,
    );
  }
  return { state: 'certified', pin };
}
