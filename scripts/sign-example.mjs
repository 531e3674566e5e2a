#!/usr/bin/env node
/**
 * `npm run example:sign`: signs the bundled example's records as its approval policy
 * (changeControl.approvals) requires, for the releases named (default: every release record), with the throwaway
 * test keys in test/fixtures/signing/ (test-only passphrase in passphrase.txt). Run it after editing
 * a signed example record, then commit the signatures: the release gate counts only committed ones.
 * Idempotent: a signature already made by the same signer, in the same meaning, on the same content
 * is not added again.
 *
 * Who signs which meaning (the example's people, signers.yaml): authored M. Keller (software lead),
 * reviewed K. Brandt (V&V lead, independent of the author), approved H. de Wit (QA).
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../dist/analyze.js';
import { releaseOf } from '../dist/evidence/release-gate.js';
import { appliesTo } from '../dist/evidence/verdicts.js';
import { loadProject } from '../dist/load/project.js';
import { isActive } from '../dist/model/record.js';
import { subjectClasses } from '../dist/safety/subject-class.js';
import { readPrivateKey } from '../dist/signatures/keys.js';
import { requiredSignatures } from '../dist/signatures/policy.js';
import { planApprovals } from '../dist/signatures/sign.js';
import { withProjectLock } from '../dist/util/project-lock.js';
import { writeFilesAtomically } from '../dist/util/write-journal.js';

const REPO = path.resolve(import.meta.dirname, '..');
const EXAMPLE = path.join(REPO, 'examples/infusion-pump');
const KEYS = path.join(REPO, 'test/fixtures/signing');
const SIGNER_OF = { authored: 'm.keller', reviewed: 'k.brandt', approved: 'h.dewit' };
const named = process.argv.slice(2);

const passphrase = fs.readFileSync(path.join(KEYS, 'passphrase.txt'), 'utf8').replace(/\r?\n$/, '');
const keyOf = (signer) => readPrivateKey(fs.readFileSync(path.join(KEYS, `${signer}.pem`), 'utf8'), passphrase, `${signer}.pem`);
const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

withProjectLock(EXAMPLE, 'npm run example:sign', (m) => console.error(`warning: ${m}`), () => {
  const loaded = loadProject(EXAMPLE);
  if (!loaded.ok) throw new Error('the example does not load');
  const project = loaded.project;
  const analysis = analyze(project);
  const classOf = subjectClasses(analysis.graph, analysis.safety);
  const versions =
    named.length > 0
      ? named
      : analysis.graph
          .ofKind('release')
          .filter(isActive)
          .map((r) => String(r.fields.version));
  /** meaning → record ids to sign */
  const wanted = { authored: new Set(), reviewed: new Set(), approved: new Set() };
  for (const version of versions) {
    const release = releaseOf(analysis, version);
    const kinds = new Set((project.config.changeControl?.approvals ?? []).flatMap((rule) => rule.kinds));
    for (const kind of kinds) {
      const inScope =
        kind === 'release'
          ? release
            ? [release]
            : []
          : analysis.graph.ofKind(kind).filter((r) => isActive(r) && appliesTo(r, version));
      for (const record of inScope)
        for (const required of requiredSignatures(project.config, record, classOf(record.id)))
          wanted[required.meaning].add(record.id);
    }
  }
  let added = 0;
  for (const [meaning, ids] of Object.entries(wanted)) {
    if (ids.size === 0) continue;
    const signer = SIGNER_OF[meaning];
    const plan = planApprovals(project, { ids: [...ids].sort(), meaning, signer, key: keyOf(signer), time });
    writeFilesAtomically(EXAMPLE, 'npm run example:sign', plan.writes);
    added += plan.writes.length;
  }
  console.log(
    `example:sign: ${added} signature(s) added for ${versions.join(', ')}; commit examples/infusion-pump/signatures`,
  );
});
