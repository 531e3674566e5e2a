/**
 * The standard attribute names of the ReqIF Implementation Guide (prostep ivip / HIS), which DOORS,
 * DOORS Next, Polarion, ProR, StrictDoc and Capella use for the same things.
 */
/** The object's human-facing id in its tool (DOORS absolute number, Polarion work item id). */
export const REQIF_FOREIGN_ID = 'ReqIF.ForeignID';
/** A short name or title (DOORS Object Short Text). */
export const REQIF_NAME = 'ReqIF.Name';
/** The requirement text, XHTML (DOORS Object Text). */
export const REQIF_TEXT = 'ReqIF.Text';
/** A heading's text (DOORS Object Heading): objects that have it and no text are chapters. */
export const REQIF_CHAPTER_NAME = 'ReqIF.ChapterName';
