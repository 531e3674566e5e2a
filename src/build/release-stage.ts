import type { Analysis } from '../analyze.js';
import { plural } from '../diagnostics/format.js';
import { problemTrends, trendRows } from '../evidence/problem-trends.js';
import { readGateEvidence, releaseGate } from '../evidence/release-gate.js';
import {
  ANOMALIES_HEADER,
  gateJsonChunks,
  markdownTable,
  renderGateText,
  unresolvedAnomalyRows,
  VERSION_HISTORY_HEADER,
  versionHistoryRows,
} from '../evidence/release-report.js';
import { isActive } from '../model/record.js';
import { csvDocument } from '../util/csv.js';
import type { BuildContext, StageArtifact } from './build.js';

/**
 * Release outputs: the FDA "Software Version History" and "Unresolved Software Anomalies" tables,
 * and the release gate for the configured software version when a release record names it.
 */
export function releaseStage(
  analysis: Analysis,
  context: BuildContext,
): { artifacts: StageArtifact[]; ok: boolean; result: string } {
  const { graph, project } = analysis;
  // The release of the configured version, or else the latest release (the version in development
  // has none yet): the gate and the anomaly table describe a version that was or will be shipped.
  const releases = graph.ofKind('release').filter(isActive);
  const configured = releases.find((r) => String(r.fields.version) === project.config.software.version);
  const latest = [...releases].sort((a, b) =>
    String(b.fields.date ?? '').localeCompare(String(a.fields.date ?? '')),
  )[0];
  const release = configured ?? latest;
  const version = release ? String(release.fields.version) : project.config.software.version;
  const history = versionHistoryRows(graph);
  const anomalies = unresolvedAnomalyRows(graph, release);
  const trends = trendRows(problemTrends(graph));
  const artifacts: StageArtifact[] = [
    {
      path: 'release/version-history.md',
      content: markdownTable('Software Version History', VERSION_HISTORY_HEADER, history),
    },
    { path: 'release/version-history.csv', content: csvDocument([VERSION_HISTORY_HEADER, ...history]) },
    {
      path: 'release/unresolved-anomalies.md',
      content: markdownTable(
        `Unresolved Software Anomalies${version ? ` in ${version}` : ''}`,
        ANOMALIES_HEADER,
        anomalies,
      ),
    },
    { path: 'release/unresolved-anomalies.csv', content: csvDocument([ANOMALIES_HEADER, ...anomalies]) },
    {
      path: 'release/problem-trends.md',
      content: markdownTable('Problem report trends by category and month (9.6)', trends.header, trends.rows),
    },
    { path: 'release/problem-trends.csv', content: csvDocument([trends.header, ...trends.rows]) },
  ];
  if (!version || !release) {
    return { artifacts, ok: true, result: `no release record yet, gate not run` };
  }
  const gate =
    context.gate?.version === version
      ? context.gate
      : releaseGate(
          analysis,
          version,
          context.readEvidence ? readGateEvidence(analysis, version, context.readEvidence) : undefined,
        );
  artifacts.push({ path: `release/gate-${version}.txt`, render: () => renderGateText(gate) });
  artifacts.push({ path: `release/gate-${version}.json`, render: () => gateJsonChunks(gate) });
  // A build without advisory data still says everything else about the release; only the release
  // check itself (dossier release check) insists on the vulnerability data.
  const others = gate.blockers.filter((b) => b.code !== 'release/vulnerabilities-not-checked');
  const missing = gate.advisoryData.filter((f) => f.status === 'no-data').map((f) => f.ecosystem);
  // Not checked for another reason (SOUP removed after the release date is not scanned): the gate says why.
  const why =
    missing.length > 0 ? `no ${missing.join(', ')} advisory data` : `see release/gate-${version}.txt`;
  const unchecked = others.length < gate.blockers.length ? ` (SOUP vulnerabilities NOT CHECKED: ${why})` : '';
  return {
    artifacts,
    ok: others.length === 0,
    result:
      others.length === 0
        ? `${version}${configured ? '' : ' (latest release)'} releasable${unchecked}, ${plural(gate.runs.length, 'test run')}`
        : `${version} blocked: ${plural(others.length, 'blocker')}${unchecked}`,
  };
}
