/**
 * Sets the modification time of every entry of a zip archive (local headers and central directory)
 * to one date. The `docx` library stamps each entry with the clock when it packs; rewriting the
 * two MS-DOS date/time fields of each entry in place makes the archive depend on its content and
 * the document's date only. Only for archives Dossier itself just wrote (no zip64, no encryption):
 * anything else is refused rather than guessed at.
 */
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

export function setZipDates(zip: Uint8Array, when: Date): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory');
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const { time, date } = dosDateTime(when);
  for (let n = 0; n < entries; n++) {
    if (view.getUint32(at, true) !== CENTRAL) throw new Error('zip central directory is not where it says');
    view.setUint16(at + 12, time, true);
    view.setUint16(at + 14, date, true);
    const local = view.getUint32(at + 42, true);
    if (view.getUint32(local, true) !== LOCAL) throw new Error('zip local header is not where it says');
    view.setUint16(local + 10, time, true);
    view.setUint16(local + 12, date, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return zip;
}
