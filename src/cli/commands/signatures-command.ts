// `dossier signer …` and `dossier approve` as the command line offers them; the work is in
// ./signatures.ts, loaded when one runs.
import type { Command } from 'commander';
import { MEANINGS } from '../../signatures/meanings.js';

/** `dossier signer …` and `dossier approve`, with help that teaches the model. */
export function registerSignatureCommands(cli: Command, setExit: (code: number) => void): void {
  const signer = cli
    .command('signer')
    .description(
      'Signing keys and the signers file of signed approvals (21 CFR Part 11 support; docs/signatures.md)',
    );
  signer
    .command('keygen')
    .description('Make an Ed25519 signing key: an encrypted PKCS#8 PEM file, protected by a passphrase')
    .requiredOption('--out <file>', 'the key file to write (never overwritten; readable by you only)')
    .option(
      '--passphrase-file <file>',
      'read the passphrase from this file (automation); default: asked twice, without echo',
    )
    .addHelpText(
      'after',
      `
The passphrase is the second component of every signature (21 CFR 11.200): keep the key file and
the passphrase to yourself, and never give the passphrase on the command line. Put the printed
public key into signers.yaml with your id, printed name, role and e-mail; the trust root holder
then certifies the list (dossier signer certify). A key made for the trust root prints the pin to
set in DOSSIER_TRUST_ROOT.

Example:
  dossier signer keygen --out ~/.dossier/a.weber.pem`,
    )
    .action(async (opts) => setExit(await (await import('./signatures.js')).runSignerKeygen(opts)));
  signer
    .command('certify')
    .description('Certify the signers file with the trust root key (writes certifiedBy)')
    .requiredOption('--root-key <file>', 'the trust root private key (encrypted PEM)')
    .option('--passphrase-file <file>', 'read the passphrase from this file; default: asked without echo')
    .option('-C, --dir <dir>', 'project folder', '.')
    .addHelpText(
      'after',
      `
Who may sign is decided by the trust root, not by whoever edits signers.yaml: the root key signs the
whole list (every id, name, role, key, validity and revocation), and check and the release gate
trust the list only when that certification verifies and the root's pin is in DOSSIER_TRUST_ROOT,
set outside the repository (protected CI configuration). Adding a key to signers.yaml therefore
lets nobody sign as QA until the root holder reviews the change and certifies it again. Revoking a
key (revokedOn, revokedBecause) also needs a new certification.

Example:
  dossier signer certify --root-key /secure/dossier-root.pem -C examples/infusion-pump`,
    )
    .action(async (opts) => setExit(await (await import('./signatures.js')).runSignerCertify(opts)));

  cli
    .command('approve')
    .description("Sign records' current content: authored, reviewed or approved (signatures/<ID>.yaml)")
    .argument('<id...>', 'record ids, or DOC-<KEY> for a document of the package')
    .requiredOption('--meaning <meaning>', `what the signature means: ${MEANINGS.join(', ')}`)
    .requiredOption('--as <signer>', 'your signer id in signers.yaml')
    .requiredOption('--key <file>', 'your private key (encrypted PEM, from dossier signer keygen)')
    .option('--passphrase-file <file>', 'read the passphrase from this file; default: asked without echo')
    .option('-C, --dir <dir>', 'project folder', '.')
    .option('-n, --dry-run', 'check everything and say what would be signed; write nothing')
    .option(
      '--release <version>',
      'for documents (DOC-<KEY>): the baseline of the revision approved (default: software.version)',
    )
    .addHelpText(
      'after',
      `
Each record's content fingerprint (fp1, docs/format.md#fingerprints) is signed with your key
together with the record id, the meaning, your signer id and the time (UTC, from the clock), and
appended to signatures/<ID>.yaml; earlier signatures are never rewritten. The passphrase is asked
at every signing. A later change to the record voids the approval: dossier check then says
"approval void: content changed since NAME approved it on DATE" with what changed, and the release
gate no longer counts it. Commit the signatures: the gate counts only committed ones, and checks
their times against the git history (revocation, backdating).

A document of the package is approved the same way, by its key: DOC-SRS signs the SRS's current
revision (baseline and content hash, docs/documents.md#approvals); the document then says
"Controlled document" with the approvers in its control block, until its content changes.

Examples:
  dossier approve SRS-012 SRS-013 --meaning reviewed --as r.costa --key ~/.dossier/r.costa.pem
  dossier approve DOC-SRS DOC-SAD --meaning approved --as q.lindqvist --key ~/.dossier/qa.pem
  dossier approve REL-003 --meaning approved --as q.lindqvist --key ~/.dossier/qa.pem -n`,
    )
    .action(async (ids: string[], opts) =>
      setExit(await (await import('./signatures.js')).runApprove(ids, opts)),
    );
}
