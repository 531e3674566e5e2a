import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Project } from '../src/load/project.js';
import { compareUnderRulesets, withRulesetPin } from '../src/rules/migrate.js';
import { RULES } from '../src/rules/registry.js';
import {
  compareRulesets,
  currentRuleset,
  RULESET_PATTERN,
  type RulesetChangelog,
  RulesetError,
  rulesetChangelog,
  rulesetPlan,
} from '../src/rules/ruleset.js';
import { RULESET_VERSION } from '../src/version.js';
import { CONFIG, EXAMPLE, loadOk, runCli, starterProject, writeProject } from './helpers.js';

const ALL = RULES.map((r) => r.code);
const OLD = '2026.06';

/** A changelog in which requirement/untested arrived after 2026.06. */
const LATER_RULE: RulesetChangelog = {
  versions: [
    {
      version: OLD,
      date: '2026-06-01',
      summary: 'old',
      added: ALL.filter((c) => c !== 'requirement/untested'),
      changed: [],
      removed: [],
    },
    {
      version: '2026.12',
      date: '2026-12-01',
      summary: 'new',
      added: ['requirement/untested'],
      changed: [{ code: 'link/dangling', change: 'wording', reproducible: true }],
      removed: [],
    },
  ],
};

const unpinnedConfig = CONFIG.replace(/^ruleset: .*\n/m, '');

/** A project pinned (in memory) to another ruleset than the file says. */
const pinnedTo = (project: Project, ruleset: string): Project => ({
  ...project,
  config: { ...project.config, ruleset },
});

describe('the ruleset and its changelog', () => {
  it('is defined once: the last changelog entry, which every rule of this Dossier is in exactly once', () => {
    const log = rulesetChangelog();
    expect(RULESET_VERSION).toBe(currentRuleset(log));
    const versions = log.versions.map((v) => v.version);
    for (const v of versions) expect(v).toMatch(RULESET_PATTERN);
    expect([...versions].sort(compareRulesets)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    const added = log.versions.flatMap((v) => v.added);
    expect(new Set(added).size, 'a rule added twice').toBe(added.length);
    // A new rule without a changelog entry would run silently for pinned projects: refused here.
    expect([...added].sort()).toEqual([...ALL].sort());
  });

  it('plans each pin: none, current, older (rules not enabled), newer, unknown, irreproducible', () => {
    expect(rulesetPlan(undefined, LATER_RULE)).toMatchObject({
      ok: true,
      version: '2026.12',
      pinned: false,
      notEnabled: [],
    });
    expect(rulesetPlan('2026.12', LATER_RULE)).toMatchObject({ ok: true, pinned: true, notEnabled: [] });
    expect(rulesetPlan(OLD, LATER_RULE)).toMatchObject({
      ok: true,
      version: OLD,
      notEnabled: ['requirement/untested'],
      changedSince: [{ code: 'link/dangling', in: '2026.12' }],
    });
    expect(rulesetPlan('2027.01', LATER_RULE)).toMatchObject({ ok: false, reason: 'newer' });
    expect(rulesetPlan('2026.09', LATER_RULE)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(rulesetPlan('26.1', LATER_RULE)).toMatchObject({ ok: false, reason: 'malformed' });
    const broken: RulesetChangelog = {
      versions: [
        LATER_RULE.versions[0]!,
        {
          ...LATER_RULE.versions[1]!,
          changed: [{ code: 'link/dangling', change: 'new meaning', reproducible: false }],
        },
      ],
    };
    const plan = rulesetPlan(OLD, broken);
    expect(plan).toMatchObject({ ok: false, reason: 'irreproducible' });
    if (!plan.ok) expect(plan.message).toContain('dossier migrate');
    const removed: RulesetChangelog = {
      versions: [LATER_RULE.versions[0]!, { ...LATER_RULE.versions[1]!, removed: ['soup/unused'] }],
    };
    expect(rulesetPlan(OLD, removed)).toMatchObject({ ok: false, reason: 'irreproducible' });
  });
});

describe('check under a pinned ruleset', () => {
  it('without a pin: the current ruleset, and an info finding that suggests pinning', () => {
    const dir = writeProject({ 'dossier.yaml': unpinnedConfig });
    const finding = analyze(loadOk(dir)).diagnostics.find((d) => d.code === 'ruleset/unpinned');
    expect(finding).toMatchObject({ severity: 'info', file: 'dossier.yaml' });
    expect(finding?.hint).toContain(`ruleset: "${RULESET_VERSION}"`);
  });

  it('pinned to the current ruleset: no ruleset finding', () => {
    const codes = analyze(loadOk(starterProject())).diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c.startsWith('ruleset/'))).toEqual([]);
  });

  it('pinned to an older ruleset: the rules added since are not run, and the report says how many', () => {
    // SRS-003 has no test: requirement/untested (added after 2026.06 in this changelog) would find it.
    const dir = starterProject({
      'records/software/SRS-003.md':
        '---\nid: SRS-003\ntitle: Untested\ncategory: alarms\nderivesFrom: [SYS-001]\n---\nThe software shall.\n',
    });
    const project = loadOk(dir);
    expect(analyze(project, { changelog: LATER_RULE }).diagnostics.map((d) => d.code)).toContain(
      'requirement/untested',
    );
    const pinned = analyze(pinnedTo(project, OLD), { changelog: LATER_RULE });
    const codes = pinned.diagnostics.map((d) => d.code);
    expect(codes).not.toContain('requirement/untested');
    const notRun = pinned.diagnostics.find((d) => d.code === 'ruleset/rules-not-run');
    expect(notRun?.message).toContain('1 newer rule was not run (requirement/untested)');
    expect(notRun?.message).toContain('link/dangling in 2026.12');
    expect(notRun?.severity).toBe('info');
  });

  it('refuses a pin whose verdicts cannot be reproduced', () => {
    const broken: RulesetChangelog = {
      versions: [LATER_RULE.versions[0]!, { ...LATER_RULE.versions[1]!, removed: ['soup/unused'] }],
    };
    const project = pinnedTo(loadOk(starterProject()), OLD);
    expect(() => analyze(project, { changelog: broken })).toThrow(RulesetError);
  });

  it('refuses a pin newer than this Dossier (exit 2, upgrade), an unknown one and an unquoted one', () => {
    const cases: [string, RegExp][] = [
      ['ruleset: "2099.01"', /newer than this Dossier's ruleset .*upgrade Dossier/],
      ['ruleset: "2020.01"', /not a ruleset of this Dossier/],
      ['ruleset: 2026.12', /quoted text/],
      ['ruleset: "latest"', /YYYY\.MM/],
    ];
    for (const [line, message] of cases) {
      const dir = writeProject({ 'dossier.yaml': CONFIG.replace(/^ruleset: .*$/m, line) });
      const r = runCli(['check', dir]);
      expect(r.code, line).toBe(2);
      expect(r.stderr, line).toMatch(message);
      expect(r.stderr, line).toContain('dossier.yaml:');
    }
  });

  it('the example pins the current ruleset', () => {
    const project = loadOk(EXAMPLE);
    expect(project.config.ruleset).toBe(RULESET_VERSION);
  });
});

describe('dossier migrate', () => {
  it('lists what the target ruleset reports differently, by rule and record', () => {
    const dir = starterProject({
      'records/software/SRS-003.md':
        '---\nid: SRS-003\ntitle: Untested\ncategory: alarms\nderivesFrom: [SYS-001]\n---\nThe software shall.\n',
    });
    const project = pinnedTo(loadOk(dir), OLD);
    const comparison = compareUnderRulesets(project, '2026.12', { changelog: LATER_RULE });
    expect(comparison).toMatchObject({ from: OLD, to: '2026.12', pinned: true });
    expect(comparison.added.map((d) => [d.code, d.recordId])).toEqual([['requirement/untested', 'SRS-003']]);
    expect(comparison.gone).toEqual([]);
  });

  it('writes the pin into dossier.yaml keeping comments; --dry-run writes nothing', () => {
    const config = `# keep: top comment\n${unpinnedConfig.replace('device:', 'device:   # keep: inline comment')}`;
    const dir = writeProject({ 'dossier.yaml': config });
    const dry = runCli(['migrate', dir, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would set ruleset: "${RULESET_VERSION}"`);
    expect(fs.readFileSync(path.join(dir, 'dossier.yaml'), 'utf8')).toBe(config);
    const r = runCli(['migrate', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No finding would be reported differently');
    const text = fs.readFileSync(path.join(dir, 'dossier.yaml'), 'utf8');
    expect(text).toContain('# keep: top comment\n');
    expect(text).toContain('device:   # keep: inline comment');
    expect(text).toContain(`ruleset: "${RULESET_VERSION}"`);
    expect(loadOk(dir).config.ruleset).toBe(RULESET_VERSION);
    const again = runCli(['migrate', dir]);
    expect(again.stdout).toContain('already pins');
  });

  it('when the pinned verdicts cannot be reproduced, lists every finding of the target', () => {
    const broken: RulesetChangelog = {
      versions: [LATER_RULE.versions[0]!, { ...LATER_RULE.versions[1]!, removed: ['soup/unused'] }],
    };
    const project = pinnedTo(loadOk(starterProject()), OLD);
    const comparison = compareUnderRulesets(project, '2026.12', { changelog: broken });
    expect(comparison.fromUnavailable).toContain('soup/unused removed in 2026.12');
    expect(comparison.added.length).toBe(
      analyze(project, { changelog: broken, ruleset: '2026.12' }).diagnostics.filter(
        (d) => !d.code.startsWith('ruleset/'),
      ).length,
    );
  });

  it('dossier rules --format json names the ruleset', () => {
    const r = runCli(['rules', '--format', 'json']);
    expect(JSON.parse(r.stdout).ruleset).toBe(RULESET_VERSION);
  });

  it('replaces an existing pin in place', () => {
    const text = 'device:\n  name: x\nruleset: "2026.06"   # keep\nrules: {}\n';
    expect(withRulesetPin(text, '2026.12')).toBe(
      'device:\n  name: x\nruleset: "2026.12"   # keep\nrules: {}\n',
    );
  });

  it('refuses a target newer than this Dossier or unknown (exit 2, one line)', () => {
    const dir = starterProject();
    for (const to of ['2099.01', '2020.01', 'next']) {
      const r = runCli(['migrate', dir, '--to', to]);
      expect(r.code, to).toBe(2);
      expect(r.stderr.trim().split('\n'), to).toHaveLength(1);
    }
  });
});

describe('dossier init', () => {
  it('pins the current ruleset in a new project', () => {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'dossier-init-'));
    const r = runCli(['init', path.join(dir, 'p')]);
    expect(r.code, r.stderr).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'p/dossier.yaml'), 'utf8');
    expect(text).toContain(`ruleset: "${RULESET_VERSION}"`);
    const check = runCli(['check', path.join(dir, 'p')]);
    expect(check.stdout).not.toContain('ruleset/');
  });
});
