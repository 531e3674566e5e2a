/**
 * A short plain-text excerpt of a record's Markdown text, for table cells: the first sentence of
 * the first paragraph, cut at a word and ended with "…" when longer than `max`, or followed by " …"
 * when the text goes on after it (a reader can tell an excerpt from the whole). Markdown syntax
 * (headings, emphasis, code ticks, links, list markers) is dropped so the cell reads as prose; the
 * renderers escape what is left. An empty text gives an empty excerpt (never invented words).
 */
export function excerpt(markdown: string, max = 160): string {
  const paragraph =
    markdown
      .replace(/\r\n?/g, '\n')
      .split(/\n\s*\n/)
      .map((p) => plain(p))
      .find((p) => p !== '') ?? '';
  const sentence = firstSentence(paragraph);
  const chosen = sentence.length <= max ? sentence : paragraph;
  if (chosen.length <= max) return chosen.length < plainLength(markdown) ? `${chosen} …` : chosen;
  const cut = chosen.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

/** Abbreviations whose period does not end a sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|cf|vs|approx|incl|no|fig|ref|max|min)\.$/i;

function firstSentence(paragraph: string): string {
  for (const end of paragraph.matchAll(/[.!?](?=\s|$)/g)) {
    const sentence = paragraph.slice(0, end.index + 1);
    if (!ABBREVIATION.test(sentence)) return sentence;
  }
  return paragraph;
}

/** The length of the whole text as plain prose, to know whether an excerpt left something out. */
function plainLength(markdown: string): number {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => plain(p))
    .filter((p) => p !== '')
    .join(' ').length;
}

/** One paragraph of Markdown as one line of plain text. */
function plain(paragraph: string): string {
  return paragraph
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-+*]\s+|\d{1,9}[.)]\s+)/, '')
        .replace(/^\s*(?:`{3,}|~{3,}).*$/, ''),
    )
    .join(' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(`+)([^`]+?)\1/g, '$2')
    .replace(/(^|[\s("'])(\*\*|__|\*|_)(\S(?:.*?\S)?)\2(?=$|[\s)"'.,;:!?])/g, '$1$3')
    .replace(/\s+/g, ' ')
    .trim();
}
