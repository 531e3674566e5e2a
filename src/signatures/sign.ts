/**
 * Signing: `dossier approve` (a signature per record, appended to its signatures file) and
 * `dossier signer certify` (the trust root's certification of the signers list). Plans the
 * writes; the CLI writes them through the write journal under the project lock.
 */

import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Project } from '../load/project.js';
import { maxFileBytesOf } from '../model/config.js';
import { fingerprintOf } from '../reviews/review.js';
import { sha256Hex } from '../util/hash.js';
import type { PlannedWrite } from '../util/write-journal.js';
import { yamlDoubleQuoted } from '../util/yaml-text.js';
import {
  certificationPayload,
  type Meaning,
  readYamlFile,
  type SignatureEntry,
  type Signer,
  signaturePayload,
  signaturesFileOf,
  signaturesFileSchema,
  signersFileOf,
  signersFileSchema,
} from './files.js';
import { publicKeyText, signPayload, trustPinOf } from './keys.js';

/** A signing request that cannot be done; nothing is written. */
export class SigningError extends Error {}

export interface ApproveRequest {
  readonly ids: readonly string[];
  readonly meaning: Meaning;
  readonly signer: string;
  readonly key: KeyObject;
  /** The signing time, UTC with whole seconds (the CLI takes the clock's). */
  readonly time: string;
  /**
   * Documents to approve, by signature id (`DOC-SRS`), with the fingerprint of their current
   * revision (src/docs/approval.ts): computed by the caller, which builds the documents.
   */
  readonly documents?: ReadonlyMap<string, string>;
}

export interface PlannedSignature {
  readonly recordId: string;
  readonly file: string;
  readonly fingerprint: string;
  /** Already signed by this signer in this meaning on the same content: nothing to add. */
  readonly alreadySigned: boolean;
}

function readSigners(project: Project): { signers: readonly Signer[]; file: string } {
  const file = signersFileOf(project.config);
  const read = readYamlFile(
    project.root,
    file,
    signersFileSchema,
    'signature/signers-untrusted',
    maxFileBytesOf(project.config),
  );
  if (read.state === 'absent')
    throw new SigningError(
      `there is no signers file ${file}; add the signers and have the trust root certify it (docs/signatures.md)`,
    );
  if (read.state === 'invalid') throw new SigningError(read.findings.map((f) => f.message).join('; '));
  return { signers: read.value.signers, file };
}

const fileSha = (file: string): string | null => {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** The YAML of one signature entry, as appended to a signatures file. */
export function entryYaml(entry: SignatureEntry): string {
  return [
    `- signer: ${yamlDoubleQuoted(entry.signer)}`,
    `  meaning: ${entry.meaning}`,
    `  time: ${yamlDoubleQuoted(entry.time)}`,
    `  fingerprint: ${yamlDoubleQuoted(entry.fingerprint)}`,
    `  signature: ${yamlDoubleQuoted(entry.signature)}`,
    '',
  ].join('\n');
}

/**
 * Plans one signature per record: checks that the key is the signer's, that the signer may sign at
 * `time`, that every record exists and that its signatures file is valid; then appends the new
 * entry to each file's text (the earlier entries are kept byte for byte).
 */
export function planApprovals(
  project: Project,
  request: ApproveRequest,
): { writes: PlannedWrite[]; signatures: PlannedSignature[]; signer: Signer } {
  const { signers, file: signersFile } = readSigners(project);
  const signer = signers.find((s) => s.id === request.signer);
  if (!signer) {
    throw new SigningError(
      `"${request.signer}" is not a signer in ${signersFile} (signers: ${signers.map((s) => s.id).join(', ') || 'none'})`,
    );
  }
  if (publicKeyText(request.key) !== signer.publicKey) {
    throw new SigningError(
      `the key given is not ${signer.name}'s: its public key differs from ${signersFile}`,
    );
  }
  const day = request.time.slice(0, 10);
  if (day < signer.validFrom)
    throw new SigningError(`${signer.name}'s key is valid only from ${signer.validFrom}`);
  if (signer.revokedOn !== undefined && day >= signer.revokedOn) {
    throw new SigningError(`${signer.name}'s key is revoked from ${signer.revokedOn}; it can no longer sign`);
  }
  const byId = new Map(project.records.map((r) => [r.id, r] as const));
  const documents = request.documents ?? new Map<string, string>();
  const unknown = request.ids.filter((id) => !byId.has(id) && !documents.has(id));
  if (unknown.length > 0) throw new SigningError(`no record has the id ${unknown.join(', ')}`);

  const writes: PlannedWrite[] = [];
  const signatures: PlannedSignature[] = [];
  for (const id of [...new Set(request.ids)]) {
    const record = byId.get(id);
    const rel = signaturesFileOf(project.config, id);
    const fingerprint = documents.get(id) ?? fingerprintOf(record!);
    const read = readYamlFile(
      project.root,
      rel,
      signaturesFileSchema,
      'signature/invalid',
      maxFileBytesOf(project.config),
    );
    if (read.state === 'invalid') {
      throw new SigningError(
        `${rel} is not a valid signatures file, so nothing is appended to it: ${read.findings.map((f) => f.message).join('; ')}`,
      );
    }
    const earlier = read.state === 'read' ? read.value : [];
    const alreadySigned = earlier.some(
      (e) => e.signer === signer.id && e.meaning === request.meaning && e.fingerprint === fingerprint,
    );
    signatures.push({ recordId: id, file: rel, fingerprint, alreadySigned });
    if (alreadySigned) continue;
    const unsigned = { signer: signer.id, meaning: request.meaning, time: request.time, fingerprint };
    const entry = { ...unsigned, signature: signPayload(request.key, signaturePayload(id, unsigned)) };
    const before =
      read.state === 'read'
        ? `${read.text}${read.text === '' || read.text.endsWith('\n') ? '' : '\n'}`
        : `# Signatures of ${id} (dossier approve; docs/signatures.md). Appended to, never rewritten.\n`;
    // An empty list written as `[]` cannot take an appended entry; it holds no signature to keep.
    const base =
      earlier.length === 0 && /^\s*\[\s*\]\s*$/m.test(before)
        ? before.replace(/^\s*\[\s*\]\s*$/m, '')
        : before;
    writes.push({
      path: rel,
      content: base + entryYaml(entry),
      unchangedSince: fileSha(path.join(project.root, rel)),
    });
  }
  return { writes, signatures, signer };
}

/**
 * The signers file with `certifiedBy` set to the root key's certification of its list: the rest of
 * the file (comments, order) is kept. Returns the write and the root's pin for DOSSIER_TRUST_ROOT.
 */
export function planCertification(
  project: Project,
  rootKey: KeyObject,
): { write: PlannedWrite; pin: string; signers: number } {
  const { signers, file } = readSigners(project);
  const absolute = path.join(project.root, file);
  const text = fs.readFileSync(absolute, 'utf8');
  const doc = parseDocument(text);
  const key = publicKeyText(rootKey);
  doc.set(
    'certifiedBy',
    doc.createNode({ key, signature: signPayload(rootKey, certificationPayload(signers)) }),
  );
  return {
    write: { path: file, content: doc.toString({ lineWidth: 0 }), unchangedSince: fileSha(absolute) },
    pin: trustPinOf(key)!,
    signers: signers.length,
  };
}
