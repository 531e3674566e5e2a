/**
 * The one clock of date-relative checks (the age of advisory data, of anomaly-list reviews): the
 * calendar date (UTC) a verdict is reached on. Set `DOSSIER_TODAY=YYYY-MM-DD` to reproduce a verdict
 * of another day (and in tests); library code takes the date as a parameter and never reads it.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** DOSSIER_TODAY is set but is not a date: the user can fix it. */
export class ClockError extends Error {}

export function today(): string {
  const fixed = process.env.DOSSIER_TODAY;
  if (fixed !== undefined && fixed !== '') {
    if (!ISO_DATE.test(fixed) || Number.isNaN(Date.parse(`${fixed}T00:00:00Z`)) || !sameDate(fixed))
      throw new ClockError(`DOSSIER_TODAY must be a date written YYYY-MM-DD (got "${fixed}")`);
    return fixed;
  }
  return new Date().toISOString().slice(0, 10);
}

/** Rejects dates like 2027-02-30 that Date.parse rolls over into the next month. */
function sameDate(date: string): boolean {
  return new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
}

/** Whole days from `from` to `to` (dates YYYY-MM-DD, or RFC 3339 timestamps read as their UTC date). */
export function daysBetween(from: string, to: string): number {
  const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`);
  return Math.round((day(to) - day(from)) / 86_400_000);
}
