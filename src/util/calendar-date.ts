import { z } from 'zod';

/**
 * Calendar dates written YYYY-MM-DD. The shape alone lets through `2026-13-45` and `2026-02-30`,
 * which JavaScript's Date rolls over into another day: a review or release date that is not a day
 * would be judged as a different one. Every date Dossier reads, from records, dossier.yaml, options
 * or the environment, is checked here.
 */

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is YYYY-MM-DD and names a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(text: string): boolean {
  const m = SHAPE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999; set the year as written
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Why `text` is not accepted as a date, for messages naming the field or option. */
export function calendarDateProblem(text: string): string | undefined {
  if (!SHAPE.test(text)) return `expected a date written YYYY-MM-DD (got "${text}")`;
  return isCalendarDate(text) ? undefined : `"${text}" is not a calendar date (no such day)`;
}

/**
 * The schema of a date field: the YYYY-MM-DD shape (kept in the JSON Schemas as a pattern) and a
 * real day, so `2026-02-30` in a record is an error at its field's line like any schema error.
 */
export function calendarDateSchema() {
  return (
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD')
      // A text of another shape already has the message above; this one is for a shape with no day.
      .refine((text) => !SHAPE.test(text) || isCalendarDate(text), {
        error: (issue) => `${JSON.stringify(issue.input)} is not a calendar date (no such day)`,
      })
      .describe('Date, YYYY-MM-DD')
  );
}
