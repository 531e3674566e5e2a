/**
 * `dossier signer keygen`, `dossier signer certify` and `dossier approve`: the CLI of signed
 * approvals (docs/signatures.md). Thin over src/signatures: reads keys and passphrases, holds the
 * project lock, writes through the write journal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import type { Project } from '../../load/project.js';
import {
  documentKeyOf,
  documentSignatureId,
  isDocumentSignatureId,
  MEANINGS,
  type Meaning,
} from '../../signatures/files.js';
import { generateSigningKey, readPrivateKey, SigningKeyError, trustPinOf } from '../../signatures/keys.js';
import { planApprovals, planCertification, SigningError } from '../../signatures/sign.js';
import { TRUST_ROOT_ENV } from '../../signatures/trust-root.js';
import { projectBuildDate } from '../../util/build-date.js';
import { withProjectLock } from '../../util/project-lock.js';
import { writeFilesAtomically } from '../../util/write-journal.js';
import { EXIT, loadOrReport, oneOf, UsageError, warnLock } from '../io.js';
import { readPassphrase } from '../passphrase.js';
import { writeOut } from '../terminal.js';
import { projectPackage } from './docs.js';

export interface KeygenOptions {
  readonly out: string;
  readonly passphraseFile?: string;
}

/** Writes a new encrypted key file (never over an existing one) and prints its public key and pin. */
export function runSignerKeygen(options: KeygenOptions): number {
  const passphrase = readPassphrase(options.passphraseFile, `the new key ${options.out}`, true);
  const { privateKeyPem, publicKey } = keyOrUsage(() => generateSigningKey(passphrase));
  try {
    fs.writeFileSync(options.out, privateKeyPem, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${options.out} exists; a key file is never overwritten`);
    }
    throw error;
  }
  writeOut(
    `wrote ${options.out} (Ed25519, encrypted PKCS#8; keep it and its passphrase to yourself)\n` +
      `public key: ${publicKey}\n` +
      `trust-root pin (only if this is the root key): ${TRUST_ROOT_ENV}=${trustPinOf(publicKey)}\n`,
  );
  return EXIT.ok;
}

function keyOrUsage<T>(job: () => T): T {
  try {
    return job();
  } catch (error) {
    if (error instanceof SigningKeyError || error instanceof SigningError)
      throw new UsageError(error.message);
    throw error;
  }
}

function readKey(file: string, passphraseFile: string | undefined, what: string) {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the key file ${file}: ${(error as Error).message}`);
  }
  // Refused before any passphrase is asked: an unencrypted key file is already a compromised one.
  if (!pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----'))
    return keyOrUsage(() => readPrivateKey(pem, '', file));
  const passphrase = readPassphrase(passphraseFile, what);
  return keyOrUsage(() => readPrivateKey(pem, passphrase, file));
}

export interface CertifyOptions {
  readonly dir: string;
  readonly rootKey: string;
  readonly passphraseFile?: string;
}

/** Signs the signers list with the trust root key and prints the pin to set in CI. */
export function runSignerCertify(options: CertifyOptions): number {
  const root = path.resolve(options.dir);
  return withProjectLock(root, 'dossier signer certify', warnLock, () => {
    const { project, exitCode } = loadOrReport(options.dir, { refuse: 'certify the signers' });
    if (!project) return exitCode!;
    const key = readKey(options.rootKey, options.passphraseFile, `the trust root key ${options.rootKey}`);
    const plan = keyOrUsage(() => planCertification(project, key));
    writeFilesAtomically(root, 'dossier signer certify', [plan.write]);
    writeOut(
      `certified ${plural(plan.signers, 'signer')} in ${plan.write.path}\n` +
        `pin this root where contributors cannot change it (protected CI configuration):\n  ${TRUST_ROOT_ENV}=${plan.pin}\n`,
    );
    return EXIT.ok;
  });
}

export interface ApproveOptions {
  readonly dir: string;
  readonly meaning: string;
  readonly as: string;
  readonly key: string;
  readonly passphraseFile?: string;
  readonly dryRun?: boolean;
  /** The baseline of the documents approved (DOC-<KEY>); default software.version. */
  readonly release?: string;
}

/** The signing time: now, UTC, whole seconds. */
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The fingerprints of the documents named (`DOC-SRS`): each document is built as `docs build`
 * builds it, for the baseline given (`--release`), and its current revision is what is signed.
 */
function documentFingerprints(
  dir: string,
  project: Project,
  ids: readonly string[],
  release: string | undefined,
): Map<string, string> {
  const wanted = ids.filter(isDocumentSignatureId);
  const fingerprints = new Map<string, string>();
  if (wanted.length === 0) return fingerprints;
  const pkg = projectPackage(dir, project, projectBuildDate(dir).timestamp.slice(0, 10), release);
  for (const id of wanted) {
    const entry = pkg.find((d) => d.key === documentKeyOf(id));
    if (!entry)
      throw new UsageError(
        `${id}: the package has no document ${documentKeyOf(id)}; its documents are ${pkg.map((d) => documentSignatureId(d.key)).join(', ')}`,
      );
    fingerprints.set(id, entry.model().control.fingerprint);
  }
  return fingerprints;
}

/** Signs each record's current content; appends to its signatures file. */
export function runApprove(ids: readonly string[], options: ApproveOptions): number {
  const meaning: Meaning = oneOf(options.meaning, MEANINGS, '--meaning');
  const root = path.resolve(options.dir);
  return withProjectLock(root, 'dossier approve', warnLock, () => {
    const { project, exitCode } = loadOrReport(options.dir, { refuse: 'sign approvals' });
    if (!project) return exitCode!;
    // Each signing asks for the passphrase again (21 CFR 11.200(a)(1)(ii)): no session is kept.
    const key = readKey(options.key, options.passphraseFile, `${options.as}'s key ${options.key}`);
    const documents = documentFingerprints(options.dir, project, ids, options.release);
    const plan = keyOrUsage(() =>
      planApprovals(project, { ids, meaning, signer: options.as, key, time: now(), documents }),
    );
    if (!options.dryRun) writeFilesAtomically(root, 'dossier approve', plan.writes);
    const verb = options.dryRun ? 'would sign' : 'signed';
    for (const s of plan.signatures) {
      writeOut(
        s.alreadySigned
          ? `${s.recordId}: already ${meaning} by ${plan.signer.name} on this content; nothing added\n`
          : `${s.recordId}: ${verb} as ${meaning} by ${plan.signer.name} (${plan.signer.role}), ${s.fingerprint.slice(0, 16)}… → ${s.file}\n`,
      );
    }
    return EXIT.ok;
  });
}
