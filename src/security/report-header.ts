import { z } from 'zod';
import { unloadedFileSchema } from '../diagnostics/report.js';

/** The fields both security JSON contracts open with, after their schema version. */
export const securityReportHeader = {
  tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
  device: z.string(),
  incomplete: z
    .literal(true)
    .optional()
    .describe('Present when some record files did not load: their records are missing from this report'),
  unloadedFiles: z
    .array(unloadedFileSchema)
    .optional()
    .describe('The record files that did not load, by path'),
};
