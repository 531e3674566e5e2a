import yauzl from 'yauzl';
import type { OsvRecord } from './types.js';

export interface ZipEntryProblem {
  readonly entry: string;
  readonly message: string;
}

/**
 * Streams the OSV records of an osv.dev `all.zip` (one JSON file per advisory). Entries are read
 * one at a time, so archives larger than memory work; a bad entry is reported, not fatal.
 */
export async function* readOsvZip(file: string, problems: ZipEntryProblem[] = []): AsyncGenerator<OsvRecord> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: false }, (error, z) =>
      error || !z ? reject(error ?? new Error('cannot open zip')) : resolve(z),
    ),
  );
  const entries = (async function* () {
    while (true) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          zip.off('end', onEnd);
          zip.off('error', onError);
          resolve(e);
        };
        const onEnd = () => {
          zip.off('entry', onEntry);
          zip.off('error', onError);
          resolve(undefined);
        };
        const onError = (error: Error) => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          reject(error);
        };
        zip.once('entry', onEntry);
        zip.once('end', onEnd);
        zip.once('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      yield entry;
    }
  })();
  for await (const entry of entries) {
    if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
    const text = await new Promise<string>((resolve, reject) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error('cannot read entry'));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        stream.on('error', reject);
      }),
    );
    try {
      const record = JSON.parse(text) as OsvRecord;
      if (typeof record?.id !== 'string') throw new Error('no "id"');
      yield record;
    } catch (error) {
      problems.push({ entry: entry.fileName, message: (error as Error).message });
    }
  }
}
