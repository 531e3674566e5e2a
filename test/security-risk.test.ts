import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import { configSchema, type DossierConfig } from '../src/model/config.js';
import {
  evaluateSecurityRisks,
  modelEntries,
  securityRiskPolicy,
  threatKeys,
} from '../src/security/security-risk.js';
import { CONFIG, makeRecord as rec } from './helpers.js';

const base = yaml.load(CONFIG) as Record<string, unknown>;

// Impact rows × exploitability columns; only "high × high" and "moderate × high" are unacceptable.
const config = configSchema.parse({
  ...base,
  securityRisk: {
    impact: [
      { key: 'low', label: 'Low' },
      { key: 'moderate', label: 'Moderate' },
      { key: 'high', label: 'High' },
    ],
    exploitability: [
      { key: 'low', label: 'Low' },
      { key: 'high', label: 'High' },
    ],
    acceptability: {
      low: ['acceptable', 'acceptable'],
      moderate: ['acceptable', 'unacceptable'],
      high: ['acceptable', 'unacceptable'],
    },
  },
}) as DossierConfig;

const policy = securityRiskPolicy(config);

describe('security risk evaluation (AAMI SW96: exploitability × impact)', () => {
  it('reads the configured matrix: rows are impact, columns exploitability', () => {
    const risks = [
      rec('SR-001', 'security-risk', { impact: 'high', exploitability: 'high' }),
      rec('SR-002', 'security-risk', { impact: 'high', exploitability: 'low' }),
      rec('SR-003', 'security-risk', { impact: 'low', exploitability: 'high' }),
    ];
    const [a, b, c] = evaluateSecurityRisks(new TraceGraph(risks), policy);
    expect(a?.initial?.acceptable).toBe(false);
    expect(a?.unacceptableWithoutRationale).toBe(true);
    expect(b?.initial?.acceptable).toBe(true);
    expect(c?.initial?.acceptable).toBe(true);
  });

  it('the residual estimate, when given, is the risk as it stands; its controls are listed', () => {
    const records = [
      rec('SR-001', 'security-risk', {
        impact: 'high',
        exploitability: 'high',
        residualImpact: 'high',
        residualExploitability: 'low',
      }),
      rec('SC-002', 'security-control', { categories: ['authentication'] }, { mitigates: ['SR-001'] }),
      rec('SC-001', 'security-control', { categories: ['cryptography'] }, { mitigates: ['SR-001'] }),
    ];
    const [risk] = evaluateSecurityRisks(new TraceGraph(records), policy);
    expect(risk?.initial?.acceptable).toBe(false);
    expect(risk?.current?.acceptable).toBe(true);
    expect(risk?.unacceptableWithoutRationale).toBe(false);
    expect(risk?.controls.map((c) => c.id)).toEqual(['SC-001', 'SC-002']);
  });

  it('fails closed: missing or unknown levels give no estimate, and half a residual is missing data', () => {
    const records = [
      rec('SR-001', 'security-risk', { impact: 'high' }),
      rec('SR-002', 'security-risk', { impact: 'extreme', exploitability: 'high' }),
      rec('SR-003', 'security-risk', { impact: 'low', exploitability: 'low', residualImpact: 'low' }),
    ];
    const [missing, invalid, half] = evaluateSecurityRisks(new TraceGraph(records), policy);
    expect(missing?.initial).toBeUndefined();
    expect(missing?.missing).toEqual(['exploitability']);
    expect(invalid?.initial).toBeUndefined();
    expect(invalid?.invalid).toEqual([{ field: 'impact', value: 'extreme', scale: 'impact' }]);
    expect(half?.missing).toEqual(['residualExploitability']);
    // No residual estimate: nothing stands, so it is not shown as acceptable.
    expect(half?.current).toBeUndefined();
  });

  it('without a policy nothing is estimated', () => {
    const [risk] = evaluateSecurityRisks(
      new TraceGraph([rec('SR-001', 'security-risk', { impact: 'low', exploitability: 'low' })]),
      securityRiskPolicy(configSchema.parse(base) as DossierConfig),
    );
    expect(risk?.current).toBeUndefined();
  });

  it('an unacceptable risk with an acceptance rationale is not reported as unjustified', () => {
    const [risk] = evaluateSecurityRisks(
      new TraceGraph([
        rec('SR-001', 'security-risk', {
          impact: 'high',
          exploitability: 'high',
          acceptance: 'Benefit outweighs.',
        }),
      ]),
      policy,
    );
    expect(risk?.unacceptableWithoutRationale).toBe(false);
  });

  it('reads the keyed lists of a threat model and the keys a threat names', () => {
    const model = rec('TM-001', 'threat-model', {
      interfaces: [{ key: 'wifi', name: 'Wi-Fi', external: true }, 'not an entry'],
    });
    const threat = rec('THR-001', 'threat', { entryPoints: ['wifi', 3] });
    expect(modelEntries(model, 'interfaces').map((e) => e.key)).toEqual(['wifi']);
    expect(modelEntries(model, 'assets')).toEqual([]);
    expect(threatKeys(threat, 'entryPoints')).toEqual(['wifi']);
  });
});

describe('the securityRisk configuration', () => {
  it('rejects a matrix row with the wrong number of cells, naming the scale', () => {
    const result = configSchema.safeParse({
      ...base,
      securityRisk: {
        impact: [
          { key: 'low', label: 'Low' },
          { key: 'high', label: 'High' },
        ],
        exploitability: [
          { key: 'low', label: 'Low' },
          { key: 'high', label: 'High' },
        ],
        acceptability: { low: ['acceptable'], high: ['acceptable', 'unacceptable'] },
      },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('the exploitability scale has 2 levels');
  });
});
