// Descriptions are plain text: blank lines separate paragraphs, lines starting
// with "- " or "* " form a list. Views render the blocks with escaped output,
// so nothing a poster writes can become HTML.

export type TextBlock = { type: 'paragraph'; lines: string[] } | { type: 'list'; items: string[] };

export function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    let paragraph: string[] = [];
    let list: string[] = [];
    const flush = () => {
      if (paragraph.length) blocks.push({ type: 'paragraph', lines: paragraph });
      if (list.length) blocks.push({ type: 'list', items: list });
      paragraph = [];
      list = [];
    };
    for (const line of lines) {
      const item = /^[-*•]\s+(.*)$/.exec(line);
      if (item) {
        if (paragraph.length) flush();
        list.push(item[1]!);
      } else {
        if (list.length) flush();
        paragraph.push(line);
      }
    }
    flush();
  }
  return blocks;
}

const ENDS_A_SENTENCE = /[.!?…:;,]$/;

/**
 * A description as one line of plain text, for excerpts where the blocks cannot be shown (cards, feeds, meta
 * descriptions): list markers go, items are separated by commas and a list ends with a full stop when text follows
 * ("Det här ingår:\n- Trappan\n- Rampen\n\nRing oss." → "Det här ingår: Trappan, Rampen. Ring oss.").
 */
export function plainText(text: string): string {
  const blocks = textBlocks(text);
  const pieces = blocks.map((block, i) => {
    if (block.type === 'paragraph') return block.lines.join(' ');
    const items = block.items.map((item, j) => (j < block.items.length - 1 && !ENDS_A_SENTENCE.test(item) ? `${item},` : item));
    const last = items.length - 1;
    if (i < blocks.length - 1 && !ENDS_A_SENTENCE.test(items[last]!)) items[last] += '.';
    return items.join(' ');
  });
  return pieces.join(' ').replace(/\s+/g, ' ').trim();
}
