/**
 * The two kinds of file signed approvals keep in the repository, their schemas and what is signed:
 *
 * - the signers file (`signers.yaml`): who may sign, with their public keys, certified as a whole by
 *   the trust root key (`certifiedBy`); a change to any signer (a new key, a revocation) needs a new
 *   certification;
 * - one signatures file per record (`signatures/<ID>.yaml`): a list of signatures, appended to and
 *   never rewritten, so that two people signing different records never touch the same file.
 *
 * The signed payloads are canonical JSON (keys sorted, no white space: src/util/canonical-json.ts),
 * versioned by `v`, so a signature verifies whatever the YAML layout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Finding } from '../diagnostics/diagnostic.js';
import { parseYaml } from '../load/read-file.js';
import { locate, type SourceFile } from '../load/source.js';
import type { DossierConfig } from '../model/config.js';
import { calendarDateSchema } from '../util/calendar-date.js';
import { canonicalJson } from '../util/canonical-json.js';
import { PUBLIC_KEY_PREFIX } from './keys.js';
import { MEANINGS, type Meaning } from './meanings.js';

export const DEFAULT_SIGNERS_FILE = 'signers.yaml';
export const DEFAULT_SIGNATURES_DIR = 'signatures';

export { MEANINGS, type Meaning };

const publicKey = z
  .string()
  .regex(
    /^ed25519:[A-Za-z0-9+/]{43}=$/,
    `a public key is written ${PUBLIC_KEY_PREFIX}<base64 of the 32-byte raw key>, as \`dossier signer keygen\` prints it`,
  )
  .describe('Ed25519 public key: `ed25519:` and the base64 of the 32-byte raw key');

const signerId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'signer ids are lower-case letters, digits, ".", "_" and "-", e.g. "a.weber"',
  )
  .describe('Unique, never reused id of the signer (21 CFR 11.100(a))');

/** An instant written in UTC with whole seconds, e.g. 2026-12-06T07:15:00Z. */
export const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const utcTime = z
  .string()
  .regex(UTC_TIME, 'times are written in UTC with whole seconds, e.g. 2026-12-06T07:15:00Z')
  .refine((t) => !Number.isNaN(Date.parse(t)), 'not a real time');

export const signerSchema = z
  .strictObject({
    id: signerId,
    name: z
      .string()
      .regex(/\S/, 'the printed name must say something')
      .describe('Printed name (11.50(a)(1))'),
    role: z.string().regex(/\S/).describe('Role, as approval policies name it (e.g. "QA")'),
    email: z
      .string()
      .regex(/^[^@\s]+@[^@\s]+$/, 'an e-mail address')
      .describe('E-mail address'),
    publicKey,
    validFrom: calendarDateSchema().describe('First day (UTC) the key may sign'),
    revokedOn: calendarDateSchema()
      .describe(
        'Day (UTC) from which the key may no longer sign; signatures claimed or committed from then on are revoked',
      )
      .optional(),
    revokedBecause: z
      .string()
      .regex(/\S/)
      .describe('Why the key was revoked (lost, left the company, …)')
      .optional(),
  })
  .describe('A person who may sign approvals');
export type Signer = z.infer<typeof signerSchema>;

export const signersFileSchema = z
  .strictObject({
    signers: z.array(signerSchema).describe('Everyone who may sign; ids are unique'),
    certifiedBy: z
      .strictObject({
        key: publicKey.describe('The trust root public key; its sha256 pin is in DOSSIER_TRUST_ROOT'),
        signature: z.string().describe('Ed25519 signature of the certification payload, base64'),
      })
      .describe('The trust root certifies the list (`dossier signer certify`)')
      .optional(),
  })
  .describe('Dossier signers file: who may sign approvals (docs/signatures.md)');
export type SignersFile = z.infer<typeof signersFileSchema>;

export const signatureEntrySchema = z
  .strictObject({
    signer: signerId.describe('Id of the signer in the signers file'),
    meaning: z.enum(MEANINGS).describe('What the signature means (11.50(a)(3))'),
    time: utcTime.describe('When the signer signed (UTC); checked against the git history'),
    fingerprint: z
      .string()
      .regex(/^fp1:[0-9a-f]{64}$/, 'a record fingerprint, fp1: and 64 hex digits')
      .describe('The fp1 fingerprint of the record content signed (docs/format.md#fingerprints)'),
    signature: z.string().describe('Ed25519 signature of the signature payload, base64'),
  })
  .describe('One signature of a record');
export type SignatureEntry = z.infer<typeof signatureEntrySchema>;

export const signaturesFileSchema = z
  .array(signatureEntrySchema)
  .describe('Dossier signatures file of one record (signatures/<ID>.yaml): appended to, never rewritten');

/** The bytes a signer signs: canonical JSON of the record id, its fingerprint, meaning, signer and time. */
export function signaturePayload(
  record: string,
  entry: Pick<SignatureEntry, 'fingerprint' | 'meaning' | 'signer' | 'time'>,
): string {
  return canonicalJson({
    v: 1,
    record,
    fingerprint: entry.fingerprint,
    meaning: entry.meaning,
    signer: entry.signer,
    time: entry.time,
  });
}

/** The bytes the trust root signs: canonical JSON of the whole signers list, every field of every signer. */
export function certificationPayload(signers: readonly Signer[]): string {
  return canonicalJson({ v: 1, signers });
}

export const signersFileOf = (config: Pick<DossierConfig, 'changeControl'>) =>
  config.changeControl?.signers ?? DEFAULT_SIGNERS_FILE;
export const signaturesDirOf = (config: Pick<DossierConfig, 'changeControl'>) =>
  config.changeControl?.signaturesDir ?? DEFAULT_SIGNATURES_DIR;

/** Record ids that can name a file: the id syntax of records, never a path. */
const DOCUMENT_PREFIX = 'DOC-';

/** The id a document's signatures are filed under: `DOC-SRS` (signatures/DOC-SRS.yaml; docs/documents.md#approvals). */
export const documentSignatureId = (key: string): string => `${DOCUMENT_PREFIX}${key}`;

/** Whether a signature id names a document of the package rather than a record. */
export const isDocumentSignatureId = (id: string): boolean =>
  id.startsWith(DOCUMENT_PREFIX) && id.length > DOCUMENT_PREFIX.length;

/** The key of a document signature id: `DOC-SRS` → `SRS`. */
export const documentKeyOf = (id: string): string => id.slice(DOCUMENT_PREFIX.length);

export const SIGNABLE_ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The signatures file of a record, relative to the project root (forward slashes). */
export function signaturesFileOf(config: Pick<DossierConfig, 'changeControl'>, recordId: string): string {
  if (!SIGNABLE_ID.test(recordId) || recordId.includes('..')) {
    throw new Error(`internal: ${JSON.stringify(recordId)} cannot name a signatures file`);
  }
  return path.posix.join(
    path.posix.normalize(signaturesDirOf(config).replace(/\\/g, '/')),
    `${recordId}.yaml`,
  );
}

/** A file read and checked against its schema; problems are findings located in the file. */
export type ReadFile<T> =
  | { readonly state: 'absent' }
  | { readonly state: 'read'; readonly value: T; readonly text: string; readonly source: SourceFile }
  | { readonly state: 'invalid'; readonly findings: readonly Finding[]; readonly text?: string };

/** Where a value of a YAML file is, as an anchor with a known line (the file is not a record file). */
export function anchorIn(source: SourceFile, valuePath: readonly (string | number)[] = []) {
  const at = locate(source, [...valuePath]);
  return { file: source.path, line: at.line, column: at.column };
}

/** Reads and checks a YAML file of the project against a schema; `code` is the code of its findings. */
export function readYamlFile<T>(
  root: string,
  rel: string,
  schema: z.ZodType<T>,
  code: string,
  maxBytes: number,
): ReadFile<T> {
  const file = path.join(root, rel);
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return { state: 'invalid', findings: [{ code, message: `${rel} is not a file`, at: { file: rel } }] };
    }
    if (stat.size > maxBytes) {
      return {
        state: 'invalid',
        findings: [
          { code, message: `${rel} is larger than the limit of ${maxBytes} bytes`, at: { file: rel } },
        ],
      };
    }
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    return {
      state: 'invalid',
      findings: [{ code, message: `${rel} cannot be read: ${(error as Error).message}`, at: { file: rel } }],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { state: 'invalid', findings: [{ code, message: `${rel} is not UTF-8 text`, at: { file: rel } }] };
  }
  const parsed = parseYaml(text, rel);
  if (parsed.finding) return { state: 'invalid', findings: [{ ...parsed.finding, code }], text };
  const source: SourceFile = { path: rel, yaml: text, yamlLine: 0 };
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    return {
      state: 'invalid',
      text,
      findings: result.error.issues.map((issue) => ({
        code,
        message: `${rel}${issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`,
        at: anchorIn(source, issue.path as (string | number)[]),
      })),
    };
  }
  return { state: 'read', value: result.data, text, source };
}
