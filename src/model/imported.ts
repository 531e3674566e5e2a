/**
 * `imported`: where a record brought in by `dossier import` came from (docs/migration.md).
 *
 * It is provenance, never approval: a status or approval the source tool recorded is kept here as
 * what that tool said, while the record itself starts as `draft` in Dossier. `owns` and `hash` let
 * a later import tell whether a person changed the record since (then it is never overwritten) and
 * whether the source changed (then, and only then, the record is updated).
 */
import { z } from 'zod';
import { calendarDateSchema } from '../util/calendar-date.js';

export const IMPORTED_FIELD = 'imported';

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
const sourceText = (description: string) => z.string().describe(description).optional();

export const importedSchema = z
  .strictObject({
    from: z
      .string()
      .min(1)
      .describe('The reader that imported it: reqif, xlsx, csv, needs-json, sdoc, doorstop, oft, …'),
    tool: sourceText('The tool that wrote the source, when the source says (e.g. "DOORS Next")'),
    file: sourceText('The source file, as given to `dossier import`'),
    id: z
      .string()
      .min(1)
      .describe('The object identity in the source (ReqIF IDENTIFIER, needs id, Doorstop UID, …)'),
    foreignId: sourceText('The id the source tool shows, when different from `id`'),
    type: sourceText('The object type in the source'),
    section: z
      .array(z.string())
      .describe('Section headings the object sat under, outermost first')
      .optional(),
    status: sourceText("The source tool's status; provenance only, never a Dossier approval"),
    approvedBy: sourceText('Who approved it in the source tool; provenance only'),
    approvedAt: sourceText('When it was approved in the source tool; provenance only'),
    lastChangedBy: sourceText('Who last changed it in the source tool'),
    lastChangedAt: sourceText('When it was last changed in the source tool'),
    date: calendarDateSchema().describe('Date of the import that last wrote this record'),
    owns: z
      .array(z.string())
      .describe('The fields the import wrote (title and text included); a re-import changes only these'),
    hash: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .describe('Hash of the owned fields as last imported: tells a re-import whether a person changed them'),
    attributes: z
      .record(z.string(), attributeValue)
      .describe('Source attributes no Dossier field holds, kept so that nothing is lost')
      .optional(),
    unresolvedLinks: z
      .array(z.strictObject({ type: z.string(), target: z.string() }))
      .describe('Source links that could not be made Dossier links (reported by the import)')
      .optional(),
  })
  .describe('Where this record was imported from (`dossier import`); provenance, not content')
  .optional();

export type ImportedProvenance = NonNullable<z.infer<typeof importedSchema>>;
