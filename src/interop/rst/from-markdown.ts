/**
 * Dossier's Markdown written as the reStructuredText sphinx-needs expects in a need's content:
 * the inverse of rst/markdown.ts for the constructs that one converts (inline literals, links,
 * fenced code, block quotes, lists), so that an exported needs.json read back gives the same text.
 * Anything else is left as written; Markdown and RST agree on emphasis and simple lists.
 */
export function markdownToRst(markdown: string): string {
  const lines = markdown.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^(\s*)(```+|~~~+)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      const close = fence[2]!;
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() !== close) j++;
      if (out.length && out[out.length - 1] !== '') out.push('');
      out.push(`${fence[1]}${fence[3] ? `.. code-block:: ${fence[3]}` : '::'}`, '');
      for (const code of lines.slice(i + 1, j)) out.push(code === '' ? '' : `${fence[1]}   ${code}`);
      out.push('');
      i = j + 1;
      continue;
    }
    if (/^>\s?/.test(line)) {
      if (out.length && out[out.length - 1] !== '') out.push('');
      while (i < lines.length && /^>/.test(lines[i]!)) {
        const quoted = lines[i]!.replace(/^>\s?/, '');
        out.push(quoted === '' ? '' : `   ${inline(quoted)}`);
        i++;
      }
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push(`**${inline(heading[1]!)}**`);
      i++;
      continue;
    }
    // RST needs a blank line between a paragraph and the list that follows it.
    const listItem = /^\s*([-*+]|\d+[.)])\s+/.test(line);
    const previous = out[out.length - 1];
    if (
      listItem &&
      previous !== undefined &&
      previous !== '' &&
      !/^\s*([-*+]|\d+[.)])\s+/.test(previous) &&
      !/^\s/.test(previous)
    )
      out.push('');
    out.push(inline(line.replace(/^(\s*)[*+](\s+)/, '$1-$2')));
    i++;
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

function inline(text: string): string {
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, index) => {
      if (index % 2 === 1) {
        const literal = part.replace(/^`+\s?/, '').replace(/\s?`+$/, '');
        return `\`\`${literal}\`\``;
      }
      return part
        .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '`$1 <$2>`__')
        .replace(/__([^_]+)__/g, '**$1**')
        .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1*$2*');
    })
    .join('');
}
