/**
 * The answers file of `dossier impact CR-… --510k --answers FILE`: people's answers to the flow's
 * questions, each with its rationale. YAML:
 *
 *   changeRequest: CR-014          # optional; must match the change request analysed
 *   answers:
 *     Q1: { answer: no, rationale: "Also changes the occlusion algorithm.", by: A. Weber }
 *     Q3.1: { answer: uncertain, rationale: "…" }
 *
 * Errors name the file, line and column (schemas/submission-answers.schema.json).
 */
import { isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { FLOW_ANSWERS, type GivenAnswer, type SubmissionFlow } from './submission-flow.js';

export const answersFileSchema = z
  .strictObject({
    changeRequest: z.string().min(1).describe('The change request the answers are for').optional(),
    answers: z
      .record(
        z.string(),
        z.strictObject({
          answer: z.enum(FLOW_ANSWERS as [string, ...string[]]).describe('yes, no or uncertain'),
          rationale: z.string().regex(/\S/, 'say why').describe('Why: what was considered, with references'),
          by: z.string().min(1).describe('Who answered').optional(),
        }),
      )
      .describe('Question id of data/fda-510k-software-change.json → the answer'),
  })
  .describe('Answers to the 510(k) software-change questions (dossier impact --510k --answers)');

export class AnswersFileError extends Error {}

export interface AnswersFile {
  readonly changeRequest?: string;
  readonly answers: ReadonlyMap<string, GivenAnswer>;
}

/** Parses and checks the answers file's text; every problem is an {@link AnswersFileError} with file:line:col. */
export function parseAnswersFile(file: string, text: string, flow: SubmissionFlow): AnswersFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const pos = lines.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new AnswersFileError(`${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = answersFileSchema.safeParse(doc.toJS());
  const nodeAt = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
      if (node && (isScalar(node) || node.range)) return node.range?.[0];
    }
    return 0;
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new AnswersFileError(`${at(nodeAt(issue.path))}: ${issue.message}${where}`);
  }
  const known = new Set(flow.questions.map((q) => q.id));
  for (const id of Object.keys(parsed.data.answers))
    if (!known.has(id))
      throw new AnswersFileError(
        `${at(nodeAt(['answers', id]))}: ${id} is not a question of the flow (${[...known].join(', ')})`,
      );
  return {
    ...(parsed.data.changeRequest ? { changeRequest: parsed.data.changeRequest } : {}),
    answers: new Map(
      Object.entries(parsed.data.answers).map(([id, a]) => [
        id,
        { answer: a.answer as GivenAnswer['answer'], rationale: a.rationale, ...(a.by ? { by: a.by } : {}) },
      ]),
    ),
  };
}
