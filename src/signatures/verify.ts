/**
 * Verification of every signature in a project, as typed outcomes: what `check` reports and what
 * the release gate counts. Reads the signers file, the signatures files and (for the time checks)
 * git; computed once per loaded project.
 *
 * A signature is, in order of precedence:
 * - `invalid`: unknown signer, a signature that does not verify (forged, or the entry or the key
 *   altered), or signed before the signer's key was valid;
 * - `revoked`: the signer's key was revoked on or before the claimed time, or before the signature
 *   was committed;
 * - `backdated`: the claimed time precedes the first commit holding the signed content, while the
 *   signature itself was committed later (a signature made before its content existed in git);
 * - `void`: it verifies, but the record's content changed since (fingerprint differs);
 * - `valid`.
 * Independently, each carries whether its signer's identity is verified (signers file certified by
 * a pinned trust root) and whether git holds it (the time checks need its commit).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Anchor, Finding } from '../diagnostics/diagnostic.js';
import type { Project } from '../load/project.js';
import { maxFileBytesOf } from '../model/config.js';
import type { DossierRecord } from '../model/record.js';
import { fingerprintOf } from '../reviews/review.js';
import {
  anchorIn,
  isDocumentSignatureId,
  readYamlFile,
  type SignatureEntry,
  type Signer,
  signaturePayload,
  signaturesDirOf,
  signaturesFileSchema,
  signersFileOf,
  signersFileSchema,
} from './files.js';
import {
  type CommitFact,
  contentCommits,
  type LineCommits,
  lineCommits,
  newestCommitTimes,
} from './git-facts.js';
import { verifyPayload } from './keys.js';
import { type SignerTrust, signerTrust, type TrustPins, trustPinsFromEnv } from './trust-root.js';

export type SignatureOutcome =
  | { readonly state: 'valid' }
  | { readonly state: 'void'; readonly now: string }
  | { readonly state: 'invalid'; readonly why: string }
  | { readonly state: 'revoked'; readonly why: string }
  | { readonly state: 'backdated'; readonly why: string; readonly contentCommit: CommitFact };

/** Whether git holds the signature, so that its time could be checked against the history. */
export type Committed =
  | { readonly state: 'committed'; readonly commit: CommitFact }
  | { readonly state: 'not-checked'; readonly why: string };

export interface VerifiedSignature {
  readonly recordId: string;
  readonly record?: DossierRecord;
  readonly file: string;
  readonly index: number;
  readonly entry: SignatureEntry;
  readonly signer?: Signer;
  readonly outcome: SignatureOutcome;
  readonly committed: Committed;
  readonly at: Anchor;
}

export interface SignatureReport {
  readonly signersFile: string;
  readonly trust: SignerTrust;
  readonly signers: ReadonlyMap<string, Signer>;
  readonly signatures: readonly VerifiedSignature[];
  /** Files that could not be read, and signatures files of records that do not exist. */
  readonly fileFindings: readonly Finding[];
  /** Whether the project uses signatures at all (a signers file, a signature, or a policy). */
  readonly inUse: boolean;
}

export interface VerifyOptions {
  readonly pins?: TrustPins;
}

const cache = new WeakMap<Project, SignatureReport>();

/** The signature report of a loaded project (trust pins from the environment), computed once. */
export function signatureReport(project: Project, options: VerifyOptions = {}): SignatureReport {
  if (options.pins) return verifySignatures(project, options.pins);
  let report = cache.get(project);
  if (!report) {
    report = verifySignatures(project, trustPinsFromEnv());
    cache.set(project, report);
  }
  return report;
}

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`);
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function verifySignatures(project: Project, pins: TrustPins): SignatureReport {
  const { root, config } = project;
  const maxBytes = maxFileBytesOf(config);
  const signersRel = signersFileOf(config);
  const signersFile = readYamlFile(
    root,
    signersRel,
    signersFileSchema,
    'signature/signers-untrusted',
    maxBytes,
  );
  const trust = signerTrust(signersFile, pins);
  const signers = new Map<string, Signer>();
  const fileFindings: Finding[] = [];
  if (signersFile.state === 'invalid') fileFindings.push(...signersFile.findings);
  if (signersFile.state === 'read') {
    signersFile.value.signers.forEach((signer, i) => {
      if (signers.has(signer.id)) {
        fileFindings.push({
          code: 'signature/signers-untrusted',
          message: `${signersRel}: signer id "${signer.id}" is listed twice; ids are unique and never reused (21 CFR 11.100(a))`,
          at: anchorIn(signersFile.source, ['signers', i, 'id']),
        });
      } else signers.set(signer.id, signer);
    });
  }

  // As git names the files (relative, forward slashes, no `./`), so that its lines can be matched.
  const dir = path.posix.normalize(signaturesDirOf(config).replace(/\\/g, '/')).replace(/\/+$/, '');
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      fileFindings.push({
        code: 'signature/invalid',
        message: `${dir} cannot be read: ${(error as Error).message}`,
        at: { file: dir },
      });
    }
  }

  // Only a project with signatures files pays for the index (check runs this on every project).
  const byId = new Map(names.length > 0 ? project.records.map((r) => [r.id, r] as const) : []);
  const contentByFile = new Map<string, Map<string, Map<string, CommitFact>>>();
  let newest: Map<string, number> | undefined;
  const contentCommitOf = (record: DossierRecord, fp: string, claimed: number) => {
    const rel = record.origin.source.path;
    // A claim after the newest commit of the file is after every commit of its content.
    newest ??= newestCommitTimes(
      root,
      [...new Set(names.map((n) => byId.get(n.slice(0, -'.yaml'.length))?.origin.source.path))]
        .filter((p): p is string => p !== undefined)
        .sort(),
    );
    const last = newest.get(rel);
    if (last === undefined || claimed >= last) return undefined;
    let commits = contentByFile.get(rel);
    if (!commits) {
      commits = contentCommits(root, config, rel, maxBytes);
      contentByFile.set(rel, commits);
    }
    return commits.get(record.id)?.get(fp);
  };

  const signatures: VerifiedSignature[] = [];
  let lines: LineCommits | undefined;
  for (const name of names) {
    const rel = `${dir}/${name}`;
    const recordId = name.slice(0, -'.yaml'.length);
    const file = readYamlFile(root, rel, signaturesFileSchema, 'signature/invalid', maxBytes);
    if (file.state === 'invalid') {
      fileFindings.push(...file.findings);
      continue;
    }
    if (file.state !== 'read') continue;
    const record = byId.get(recordId);
    // A document's approvals (DOC-<KEY>) sign a document revision, not a record: they are verified
    // here like any signature, and the documents stage decides whether they hold for its revision.
    if (!record && !isDocumentSignatureId(recordId)) {
      fileFindings.push({
        code: 'signature/record-unknown',
        message: `${rel} holds signatures of ${recordId}, but no record has that id`,
        at: anchorIn(file.source),
      });
      continue;
    }
    const textLines = file.text.split(/\r?\n/);
    file.value.forEach((entry, index) => {
      const at = anchorIn(file.source, [index, 'signature']);
      lines ??= lineCommits(root, dir, 16 * maxBytes + 64 * 1024 * 1024);
      const committed = committedOf(lines, rel, textLines[at.line - 1] ?? '');
      const signer = signers.get(entry.signer);
      signatures.push({
        recordId,
        file: rel,
        index,
        entry,
        ...(record ? { record } : {}),
        ...(signer ? { signer } : {}),
        outcome:
          signersFile.state === 'read'
            ? outcomeOf(recordId, record, entry, signer, committed, contentCommitOf)
            : {
                state: 'invalid',
                why:
                  signersFile.state === 'absent'
                    ? `there is no signers file (${signersRel}), so no signer can be checked`
                    : `the signers file ${signersRel} is not valid, so no signer can be checked`,
              },
        committed,
        at,
      });
    });
  }
  return {
    signersFile: signersRel,
    trust,
    signers,
    signatures,
    fileFindings,
    inUse:
      signersFile.state !== 'absent' ||
      names.length > 0 ||
      (config.changeControl?.approvals?.length ?? 0) > 0,
  };
}

/**
 * Whether the line holding an entry's signature is committed: a signature's value is unique, so the
 * commit that added that line is the commit that added the entry (or the last one that changed it).
 */
function committedOf(lines: LineCommits, file: string, line: string): Committed {
  if (lines.state !== 'read') return { state: 'not-checked', why: lines.why };
  const commit = lines.commitOf(file, line);
  return commit
    ? { state: 'committed', commit }
    : { state: 'not-checked', why: 'the signature is not committed yet' };
}

function outcomeOf(
  recordId: string,
  record: DossierRecord | undefined,
  entry: SignatureEntry,
  signer: Signer | undefined,
  committed: Committed,
  contentCommitOf: (record: DossierRecord, fp: string, claimed: number) => CommitFact | undefined,
): SignatureOutcome {
  if (!signer) return { state: 'invalid', why: `signer "${entry.signer}" is not in the signers file` };
  if (!verifyPayload(signer.publicKey, signaturePayload(recordId, entry), entry.signature)) {
    return {
      state: 'invalid',
      why: `the signature does not verify with ${signer.name}'s key: the entry was altered, or it was not made with that key`,
    };
  }
  const claimed = Date.parse(entry.time);
  if (claimed < dayStart(signer.validFrom)) {
    return {
      state: 'invalid',
      why: `signed at ${entry.time}, before ${signer.name}'s key was valid (validFrom ${signer.validFrom})`,
    };
  }
  if (signer.revokedOn !== undefined) {
    const revoked = dayStart(signer.revokedOn);
    const because = signer.revokedBecause ? ` (${signer.revokedBecause})` : '';
    if (claimed >= revoked) {
      return {
        state: 'revoked',
        why: `${signer.name}'s key is revoked from ${signer.revokedOn}${because}, and the signature claims ${entry.time}`,
      };
    }
    if (committed.state === 'committed' && committed.commit.time >= revoked) {
      return {
        state: 'revoked',
        why: `${signer.name}'s key is revoked from ${signer.revokedOn}${because}, and the signature was committed after that, at ${isoSeconds(committed.commit.time)} (${committed.commit.commit.slice(0, 12)})`,
      };
    }
  }
  // A document signature: its revision is not a file in git, and whether it is current is for the
  // document to say (src/docs/approval.ts).
  if (!record) return { state: 'valid' };
  if (committed.state === 'committed') {
    const content = contentCommitOf(record, entry.fingerprint, claimed);
    if (
      content &&
      content.commit !== committed.commit.commit &&
      committed.commit.time >= content.time &&
      claimed < content.time
    ) {
      return {
        state: 'backdated',
        why: `it claims ${entry.time}, but the content it signs was first committed at ${isoSeconds(content.time)} (${content.commit.slice(0, 12)}), and the signature only later (${committed.commit.commit.slice(0, 12)})`,
        contentCommit: content,
      };
    }
  }
  const now = fingerprintOf(record);
  if (now !== entry.fingerprint) return { state: 'void', now };
  return { state: 'valid' };
}

/** Every signature of one record, verified or not, in file order. */
export function signaturesOf(report: SignatureReport, recordId: string): VerifiedSignature[] {
  return report.signatures.filter((s) => s.recordId === recordId);
}

/** Why signer identities are not verified (the signers file is not certified), or undefined when they are. */
export function identitiesUnverifiedBecause(report: SignatureReport): string | undefined {
  if (report.trust.state === 'certified') return undefined;
  return report.trust.state === 'absent'
    ? `there is no signers file (${report.signersFile})`
    : report.trust.why;
}

/**
 * Signatures that count for a record now: valid on its current content, by a signer whose identity
 * is verified, and committed (the time checks ran).
 */
export function countingSignatures(report: SignatureReport, recordId: string): VerifiedSignature[] {
  if (report.trust.state !== 'certified') return [];
  return signaturesOf(report, recordId).filter(
    (s) => s.outcome.state === 'valid' && s.committed.state === 'committed',
  );
}
