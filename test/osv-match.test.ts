import { describe, expect, it } from 'vitest';
import { describeReason, matchVersion, rangeIntervals } from '../src/soup/osv/match.js';
import type { OsvAffected, OsvRecord } from '../src/soup/osv/types.js';
import { npm } from '../src/soup/versions/semver.js';

const pkg = { ecosystem: 'npm', name: 'left-pad' };
const isLeftPad = (a: OsvAffected) => a.package?.name === 'left-pad';
const advisory = (affected: OsvAffected[]): OsvRecord => ({
  id: 'GHSA-test',
  modified: '2026-01-01T00:00:00Z',
  affected,
});
const hits = (record: OsvRecord, versions: string[]) =>
  versions.filter((v) => matchVersion(record, isLeftPad, v, npm).affected);

describe('OSV range walk', () => {
  it('introduced "0" covers everything before the fix; fixed is exclusive', () => {
    const r = advisory([
      { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }] },
    ]);
    expect(hits(r, ['0.0.1', '1.2.2', '1.2.3-rc.1', '1.2.3', '2.0.0'])).toEqual([
      '0.0.1',
      '1.2.2',
      '1.2.3-rc.1',
    ]);
  });

  it('last_affected is inclusive, and introduced == last_affected means only that version', () => {
    const r = advisory([
      {
        package: pkg,
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] }],
      },
    ]);
    expect(hits(r, ['0.9.0', '1.0.0', '1.4.0', '1.4.1'])).toEqual(['1.0.0', '1.4.0']);
    const only = advisory([
      {
        package: pkg,
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { last_affected: '2.0.0' }] }],
      },
    ]);
    expect(hits(only, ['1.9.9', '2.0.0', '2.0.1'])).toEqual(['2.0.0']);
  });

  it('several intervals in one range, with the events unsorted', () => {
    const r = advisory([
      {
        package: pkg,
        ranges: [
          {
            type: 'ECOSYSTEM',
            events: [
              { fixed: '3.1.0' },
              { introduced: '3.0.0' },
              { fixed: '1.5.0' },
              { introduced: '1.0.0' },
            ],
          },
        ],
      },
    ]);
    expect(rangeIntervals(r.affected![0]!.ranges![0]!, npm)).toEqual({
      intervals: [
        { introduced: '1.0.0', fixed: '1.5.0' },
        { introduced: '3.0.0', fixed: '3.1.0' },
      ],
      limits: [],
    });
    expect(hits(r, ['0.9.0', '1.0.0', '1.4.9', '1.5.0', '2.9.9', '3.0.0', '3.0.5', '3.1.0'])).toEqual([
      '1.0.0',
      '1.4.9',
      '3.0.0',
      '3.0.5',
    ]);
  });

  it('prereleases inside a range are affected (the npm audit false negative)', () => {
    // Shaped like GHSA-5f7q-jpqc-wp7h: a canary introduced bound.
    const r = advisory([
      {
        package: pkg,
        ranges: [{ type: 'SEMVER', events: [{ introduced: '15.0.0-canary.0' }, { fixed: '15.0.5' }] }],
      },
    ]);
    expect(hits(r, ['14.2.0', '15.0.0-canary.0', '15.0.0-canary.42', '15.0.0', '15.0.4', '15.0.5'])).toEqual([
      '15.0.0-canary.0',
      '15.0.0-canary.42',
      '15.0.0',
      '15.0.4',
    ]);
  });

  it('an open range has no fix; limit bounds a range from above', () => {
    const open = advisory([
      { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }] }] },
    ]);
    expect(hits(open, ['1.0.0', '2.0.0', '99.0.0'])).toEqual(['2.0.0', '99.0.0']);
    const limited = advisory([
      { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { limit: '3.0.0' }] }] },
    ]);
    expect(hits(limited, ['1.0.0', '2.9.9', '3.0.0'])).toEqual(['1.0.0', '2.9.9']);
  });

  it('GIT ranges are skipped without abandoning later ranges, and versions[] still counts', () => {
    const r = advisory([
      {
        package: pkg,
        ranges: [
          {
            type: 'GIT',
            repo: 'https://example.org/x.git',
            events: [{ introduced: 'abc123' }, { fixed: 'def456' }],
          },
          { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '1.1.0' }] },
        ],
        versions: ['0.9.0'],
      },
    ]);
    const result = matchVersion(r, isLeftPad, '1.0.5', npm);
    expect(result.affected).toBe(true);
    expect(result.skipped).toHaveLength(1);
    expect(describeReason(result.reasons[0]!)).toBe(
      'affected from 1.0.0, fixed in 1.1.0 (affected[0].ranges[1])',
    );
    expect(matchVersion(r, isLeftPad, '0.9.0', npm).reasons[0]).toMatchObject({ kind: 'listed' });
  });

  it('several ranges are ORed, and other packages are ignored', () => {
    const r = advisory([
      {
        package: { ecosystem: 'npm', name: 'other' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
      },
      { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.1.0' }] }] },
      { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.1.0' }] }] },
    ]);
    expect(hits(r, ['0.5.0', '1.0.1', '1.5.0', '2.0.1'])).toEqual(['1.0.1', '2.0.1']);
  });

  it('an unparseable version in use is reported with the policy applied, never dropped', () => {
    const r = advisory([
      { package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] },
    ]);
    const assumed = matchVersion(r, isLeftPad, 'latest-build', npm);
    expect(assumed.affected).toBe(true);
    expect(assumed.reasons[0]).toMatchObject({ kind: 'unparseable-version', policy: 'assume-affected' });
    expect(matchVersion(r, isLeftPad, 'latest-build', npm, { unparseable: 'listed-only' }).affected).toBe(
      false,
    );
  });

  it('a range with an unparseable bound is skipped with the reason', () => {
    const r = advisory([
      { package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'one' }, { fixed: '1.0.0' }] }] },
    ]);
    const result = matchVersion(r, isLeftPad, '0.5.0', npm);
    expect(result.affected).toBe(false);
    expect(result.skipped[0]!.why).toContain('"one" is not a valid version');
  });
});
