/**
 * Sets the modification time of every entry of a zip archive (local headers and central directory)
 * to one date. The `docx` library stamps each entry with the clock when it packs; rewriting the
 * two MS-DOS date/time fields of each entry in place makes the archive depend on its content and
 * the document's date only. Only for archives Dossier itself just wrote (zip-directory.ts refuses
 * zip64 and encryption rather than guess).
 */
import { zipEntries } from './zip-directory.js';

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

export function setZipDates(zip: Uint8Array, when: Date): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const { time, date } = dosDateTime(when);
  for (const entry of zipEntries(zip)) {
    view.setUint16(entry.central + 12, time, true);
    view.setUint16(entry.central + 14, date, true);
    view.setUint16(entry.local + 10, time, true);
    view.setUint16(entry.local + 12, date, true);
  }
  return zip;
}
