/**
 * Ed25519 keys for signed approvals, through node:crypto only. Public keys are written as
 * `ed25519:<base64 of the 32-byte raw key>` (the form the signers file holds); private keys are
 * encrypted PKCS#8 PEM files. A key file that is not encrypted is refused: the passphrase is the
 * second component of the signature (21 CFR 11.200(a)), and a key anyone who copies the file can
 * use is only one.
 */
import crypto, { type KeyObject } from 'node:crypto';

export const PUBLIC_KEY_PREFIX = 'ed25519:';
export const TRUST_PIN_PREFIX = 'sha256:';

/** The DER header of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

/** A key file or passphrase that cannot be used, said so that a person can act on it. */
export class SigningKeyError extends Error {}

/** Strict base64 of exactly `bytes` bytes (canonical padding), or undefined. */
function decodeBase64(text: string, bytes: number): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const value = Buffer.from(text, 'base64');
  return value.length === bytes && value.toString('base64') === text ? value : undefined;
}

/** The raw 32 bytes of an `ed25519:` public key text, or undefined when it is not one. */
export function rawPublicKey(text: string): Buffer | undefined {
  if (!text.startsWith(PUBLIC_KEY_PREFIX)) return undefined;
  return decodeBase64(text.slice(PUBLIC_KEY_PREFIX.length), 32);
}

/** The key object of an `ed25519:` public key text, or undefined when it is not one. */
export function publicKeyOf(text: string): KeyObject | undefined {
  const raw = rawPublicKey(text);
  if (!raw) return undefined;
  try {
    return crypto.createPublicKey({ key: Buffer.concat([SPKI_HEADER, raw]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** `ed25519:<base64>` of a public key, or of the public half of a private key. */
export function publicKeyText(key: KeyObject): string {
  const publicKey = key.type === 'private' ? crypto.createPublicKey(key) : key;
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return `${PUBLIC_KEY_PREFIX}${der.subarray(SPKI_HEADER.length).toString('base64')}`;
}

/** The trust-root pin of a public key: `sha256:<hex of the sha256 of the raw 32-byte key>`. */
export function trustPinOf(publicKey: string): string | undefined {
  const raw = rawPublicKey(publicKey);
  return raw ? `${TRUST_PIN_PREFIX}${crypto.createHash('sha256').update(raw).digest('hex')}` : undefined;
}

/** Passphrases shorter than this are refused when a key is made. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** A new Ed25519 key pair: the private key as encrypted PKCS#8 PEM, the public key as text. */
export function generateSigningKey(passphrase: string): { privateKeyPem: string; publicKey: string } {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new SigningKeyError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({
    format: 'pem',
    type: 'pkcs8',
    cipher: 'aes-256-cbc',
    passphrase,
  }) as string;
  return { privateKeyPem, publicKey: publicKeyText(publicKey) };
}

/**
 * The private key of an encrypted PKCS#8 PEM file. Refuses an unencrypted key, a key of another
 * type, and a wrong passphrase, each with a message naming `file`.
 */
export function readPrivateKey(pem: string, passphrase: string, file: string): KeyObject {
  if (!/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) {
    const unencrypted = /-----BEGIN (?:[A-Z0-9]+ )?PRIVATE KEY-----/.test(pem);
    throw new SigningKeyError(
      unencrypted
        ? `${file} holds an unencrypted private key; Dossier signs only with a passphrase-protected key (21 CFR 11.200: two components). Make one with \`dossier signer keygen --out FILE\``
        : `${file} is not an encrypted PKCS#8 private key (-----BEGIN ENCRYPTED PRIVATE KEY-----); make one with \`dossier signer keygen --out FILE\``,
    );
  }
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch {
    throw new SigningKeyError(`cannot unlock ${file}: wrong passphrase, or the key file is damaged`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(
      `${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; Dossier signs with Ed25519 keys`,
    );
  }
  return key;
}

/** The Ed25519 signature of the UTF-8 bytes of `payload`, in base64. */
export function signPayload(key: KeyObject, payload: string): string {
  return crypto.sign(null, Buffer.from(payload, 'utf8'), key).toString('base64');
}

/** Whether `signature` (base64 of 64 bytes) is the Ed25519 signature of `payload` by `publicKey`. */
export function verifyPayload(publicKey: string, payload: string, signature: string): boolean {
  const key = publicKeyOf(publicKey);
  const bytes = decodeBase64(signature, 64);
  if (!key || !bytes) return false;
  try {
    return crypto.verify(null, Buffer.from(payload, 'utf8'), key, bytes);
  } catch {
    return false;
  }
}
