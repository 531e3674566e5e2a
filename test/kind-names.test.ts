import { describe, expect, it } from 'vitest';
import { COMMON_FIELD_NAMES, KINDS } from '../src/model/kinds.js';

describe('the names of the record model', () => {
  // Interchange formats have one namespace for every kind's options (sphinx-needs' extra options
  // and links, a spreadsheet's columns): a name that is a link on one kind and a plain field on
  // another would be read back as the wrong thing (a plan's `covers` list read as links).
  it('no link field has the name of a field of any kind', () => {
    const fields = new Set<string>([...COMMON_FIELD_NAMES, ...KINDS.flatMap((k) => Object.keys(k.fields))]);
    const clashes = KINDS.flatMap((k) =>
      k.links.filter((l) => fields.has(l.field)).map((l) => `${k.name}.${l.field}`),
    );
    expect(clashes).toEqual([]);
  });
});
