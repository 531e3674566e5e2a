/**
 * A record's approvals and change history on the site (issue 14, record page).
 *
 * Approvals are the signatures `dossier check` verified (src/signatures/verify.ts), so the state
 * shown is the verified one: valid, void (the content changed since), invalid, revoked or
 * backdated, never a signature taken at its word. The history is git's (`dossier history ID`,
 * src/history/record-history.ts): it reads the repository's log, which costs too much to do for
 * every record of a large project, so `dossier serve` builds it when its page is asked for and the
 * static site says how to get it.
 */
import { signatureCaveats } from '../build/signatures-stage.js';
import { approvalLine, eventDescription, historyReport } from '../history/history-report.js';
import { RevisionError } from '../history/project-at.js';
import { type RecordHistory, RecordNotInHistoryError, recordHistory } from '../history/record-history.js';
import { partLines } from '../history/shown-values.js';
import type { DossierRecord } from '../model/record.js';
import {
  identitiesUnverifiedBecause,
  signatureReport,
  signaturesOf,
  type VerifiedSignature,
} from '../signatures/verify.js';
import type { SiteData } from './data.js';
import { badge, e, type Page, table } from './layout.js';
import { historyPath, recordPath, relative, type SitePath } from './paths.js';

type Body = Omit<Page, 'device'>;

function stateBadge(s: VerifiedSignature, identities: boolean): string {
  const o = s.outcome;
  switch (o.state) {
    case 'valid': {
      // Green only for a signature that counts: one git does not hold, or by a signer whose
      // identity is not verified, is not an approval the release gate would take.
      const caveats = signatureCaveats(s, identities);
      return caveats.length === 0
        ? badge('ok', 'valid')
        : `${badge('warn', 'valid')} ${e(caveats.join(', '))}`;
    }
    case 'void':
      return `${badge('warn', 'void')} the record changed after it was signed`;
    default:
      return `${badge('bad', o.state)} ${e(o.why)}`;
  }
}

/** The record's signatures as `dossier check` verified them; empty when the project signs nothing. */
export function approvalsSection(data: SiteData, record: DossierRecord): string {
  const report = signatureReport(data.analysis.project);
  const mine = signaturesOf(report, record.id);
  if (!report.inUse && mine.length === 0) return '';
  // Signer identities hold only when the signers file is certified by the pinned trust root.
  const why = identitiesUnverifiedBecause(report);
  const identities = why === undefined;
  const unverified =
    identities || mine.length === 0
      ? ''
      : `<p>${badge('warn', 'not verified')} Signer identities are not verified: ${e(why)}.</p>`;
  const body =
    mine.length === 0
      ? `<p>${badge('unknown', 'none')} No one has signed this record.</p>`
      : table(
          'Signatures, as dossier check verified them',
          ['Signer', 'Meaning', 'Signed at', 'State', 'In git'],
          mine.map((s) => [
            s.signer
              ? `${e(s.signer.name)} (${e(s.signer.role)})`
              : `${e(s.entry.signer)} ${badge('bad', 'unknown signer')}`,
            e(s.entry.meaning),
            e(s.entry.time),
            stateBadge(s, identities),
            s.committed.state === 'committed'
              ? `<code>${e(s.committed.commit.commit.slice(0, 12))}</code>`
              : `${badge('unknown', 'not checked')} ${e(s.committed.why)}`,
          ]),
          '',
          true,
        );
  return `<section aria-labelledby="h-approvals"><h2 id="h-approvals">Approvals</h2>${unverified}${body}</section>`;
}

/** Where the record page points for the history: the history page under the server, else the command. */
export function historyNote(path: SitePath, record: DossierRecord, live: boolean): string {
  const target = historyPath(record.id);
  const body =
    live && target
      ? `<p><a href="${e(relative(path, target))}">Every change to ${e(record.id)} in git</a>, with what changed and the approvals it voided.</p>`
      : `<p>The change history is in git: run <code>${e(`dossier history ${record.id}`)}</code>, or open this page under <code>dossier serve</code>.</p>`;
  return `<section aria-labelledby="h-history"><h2 id="h-history">History</h2>${body}</section>`;
}

type Found = { history: RecordHistory } | { why: string };

/**
 * Histories built for one analysis, by record id: reading git blocks the server while it runs
 * (about 0.3 s on a repository of 500 commits), so the page, its JSON and a HEAD request do not
 * read it three times. A new analysis (a file changed, perhaps a commit) starts afresh. At most
 * {@link KEPT_HISTORIES} are kept, the oldest asked for going first.
 */
const built = new WeakMap<SiteData, Map<string, Found>>();
const KEPT_HISTORIES = 100;

/** The record's history from git, or why git has none (not a repository, never committed). */
function historyOf(data: SiteData, id: string): Found {
  let kept = built.get(data);
  if (!kept) {
    kept = new Map();
    built.set(data, kept);
  }
  const known = kept.get(id);
  if (known) return known;
  const { root, config } = data.analysis.project;
  let found: Found;
  try {
    found = { history: recordHistory(root, config, id) };
  } catch (error) {
    if (!(error instanceof RevisionError || error instanceof RecordNotInHistoryError)) throw error;
    found = { why: error.message };
  }
  if (kept.size >= KEPT_HISTORIES) kept.delete(kept.keys().next().value!);
  kept.set(id, found);
  return found;
}

/** GET /api/v1/records/<ID>/history: `dossier history ID --format json`, or why there is none. */
export function historyJson(data: SiteData, id: string) {
  const found = historyOf(data, id);
  return 'history' in found ? historyReport(found.history) : { error: found.why };
}

/** The history page of one record (served only): built from git when asked for. */
export function historyPage(data: SiteData, id: string): Body | undefined {
  const record = data.analysis.graph.get(id);
  const path = historyPath(id);
  const recordTarget = recordPath(id);
  if (!record || !path || !recordTarget) return undefined;
  const found = historyOf(data, id);
  const history = 'history' in found ? found.history : undefined;
  const why = 'why' in found ? found.why : undefined;
  const title = `History of ${record.id}`;
  const head = `<p class="crumbs"><a href="${e(relative(path, recordTarget))}">${e(record.id)}</a> ›</p>
<h1><span class="id">${e(record.id)}</span> History</h1>`;
  if (!history)
    return {
      path,
      title,
      section: '',
      body: `${head}<p>${badge('unknown', 'no history')} ${e(why ?? 'git has no history of this record')}.</p>`,
    };
  const entries = history.entries.map((entry) => {
    const changes = entry.changes.flatMap((c) => partLines(c));
    return `<li><p class="history-head"><strong>${e(entry.date ? entry.date.slice(0, 10) : 'Uncommitted')}</strong> · ${
      entry.commit ? `<code>${e(entry.commit.slice(0, 12))}</code>` : 'working tree'
    }${entry.author ? ` · ${e(entry.author)}` : ''}: ${e(eventDescription(entry))}</p>${
      entry.subject ? `<p class="history-subject"><q>${e(entry.subject)}</q></p>` : ''
    }${changes.length ? `<pre class="changes">${e(changes.join('\n'))}</pre>` : ''}</li>`;
  });
  const approvals =
    history.approvals.length === 0
      ? `<p>No approvals in <code>${e(history.signaturesFile)}</code>.</p>`
      : `<ul>${history.approvals.map((a) => `<li>${e(approvalLine(a))}</li>`).join('')}</ul><p>Listed against the content; the record page shows the signatures as verified.</p>`;
  const unread = history.unread.map(
    (u) =>
      `<p>${badge('bad', 'not read')} ${e(`${u.file}${u.commit ? ` in ${u.commit.slice(0, 12)}` : ''}: ${u.why}; changes in it are not shown.`)}</p>`,
  );
  return {
    path,
    title,
    section: '',
    body: `${head}
<p>At ${e(history.revision)} (<code>${e(history.commit.slice(0, 12))}</code>), oldest first.</p>
${unread.join('\n')}
<section aria-labelledby="h-changes"><h2 id="h-changes">Changes</h2>${entries.length ? `<ol class="history">${entries.join('\n')}</ol>` : '<p>No commit changed this record.</p>'}</section>
<section aria-labelledby="h-approvals"><h2 id="h-approvals">Approvals over time</h2>${approvals}</section>`,
  };
}
