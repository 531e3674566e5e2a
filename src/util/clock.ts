/**
 * The one clock of date-relative checks (the age of advisory data, of anomaly-list reviews): the
 * calendar date (UTC) a verdict is reached on. Set `DOSSIER_TODAY=YYYY-MM-DD` to reproduce a verdict
 * of another day (and in tests); library code takes the date as a parameter and never reads it.
 */
import { calendarDateProblem } from './calendar-date.js';

/** DOSSIER_TODAY is set but is not a date: the user can fix it. */
export class ClockError extends Error {}

export function today(): string {
  const fixed = process.env.DOSSIER_TODAY;
  if (fixed !== undefined && fixed !== '') {
    const problem = calendarDateProblem(fixed);
    if (problem) throw new ClockError(`DOSSIER_TODAY: ${problem}`);
    return fixed;
  }
  return new Date().toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (dates YYYY-MM-DD, or RFC 3339 timestamps read as their UTC date). */
export function daysBetween(from: string, to: string): number {
  const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`);
  return Math.round((day(to) - day(from)) / 86_400_000);
}
