import zlib from 'node:zlib';

/** A file for {@link writeZip}. */
export interface ZipInput {
  readonly name: string;
  readonly data: string | Buffer;
  readonly date?: Date;
  /** `deflate` compresses the data (method 8); default `store` (method 0). */
  readonly method?: 'store' | 'deflate';
  /** The uncompressed size the headers declare, when it should lie; default the real size. */
  readonly declaredSize?: number;
  /** Unix file mode (e.g. 0o120777 for a symbolic link), stored in the external attributes. */
  readonly mode?: number;
}

function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    day: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * A minimal zip archive (PKWARE APPNOTE 4.3): STORE or DEFLATE, UTF-8 names, one local header per
 * file, then the central directory and its end record. Enough for yauzl and for tests, including
 * hostile archives: a highly compressible entry (a "zip bomb") or one whose declared size lies.
 */
export function writeZip(files: readonly ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const plain = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
    const crc = zlib.crc32(plain) >>> 0;
    const method = file.method === 'deflate' ? 8 : 0;
    const data = method === 8 ? zlib.deflateRawSync(plain, { level: 9 }) : plain;
    const declared = file.declaredSize ?? plain.length;
    const { time, day } = dosDateTime(file.date ?? new Date(2024, 0, 1, 12, 0, 0));

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(file.mode === undefined ? 20 : 0x0314, 4); // version made by (0x03xx: Unix)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk and internal attributes: 0; external attributes: the Unix mode, if any
    central.writeUInt32LE(((file.mode ?? 0) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Offset of the first byte of `name`'s data in an archive made by {@link writeZip}. */
export function dataOffset(zip: Buffer, name: string): number {
  const at = zip.indexOf(Buffer.from(name, 'utf8'));
  if (at < 30) throw new Error(`${name} is not in the archive`);
  return at + Buffer.byteLength(name, 'utf8');
}
