/** ReqIF 1.0–1.2 import and export (issue 15): pure library functions, no CLI. */
export { markdownToXhtml, mediaTypeOf, XHTML_NAMESPACE } from './markdown-to-xhtml.js';
export { REQIF_CHAPTER_NAME, REQIF_FOREIGN_ID, REQIF_NAME, REQIF_TEXT } from './names.js';
export { type ReadReqifOptions, readReqif } from './read.js';
export { REQIFZ_LIMITS } from './source-files.js';
export {
  REQIF_NAMESPACE,
  type ReqifDialect,
  reqifIdentifier,
  type SkippedLink,
  STATUS_ATTRIBUTE,
  type WriteReqifOptions,
  writeReqif,
} from './write.js';
export {
  type XhtmlConversion,
  type XhtmlObjectReference,
  type XhtmlToMarkdownOptions,
  xhtmlStringToMarkdown,
  xhtmlToMarkdown,
} from './xhtml-to-markdown.js';
