/**
 * Plain text → Atlassian Document Format, which Jira v3 demands for rich-text
 * fields (description, environment, textarea custom fields). The output keeps
 * to nodes the official ADF schema allows where they are used; in particular a
 * text node is never empty.
 */

export interface AdfText {
  type: 'text';
  text: string;
}

export interface AdfHardBreak {
  type: 'hardBreak';
}

export interface AdfParagraph {
  type: 'paragraph';
  content: (AdfText | AdfHardBreak)[];
}

export interface AdfBulletList {
  type: 'bulletList';
  content: { type: 'listItem'; content: [AdfParagraph] }[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: (AdfParagraph | AdfBulletList)[];
}

const BULLET = /^\s*[-*•]\s+/;

const paragraph = (lines: string[]): AdfParagraph => {
  const content: AdfParagraph['content'] = [];
  lines.forEach((line, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    if (line !== '') content.push({ type: 'text', text: line });
  });
  return { type: 'paragraph', content };
};

const bulletList = (lines: string[]): AdfBulletList => ({
  type: 'bulletList',
  content: lines.map((line) => ({ type: 'listItem', content: [paragraph([line.replace(BULLET, '').trimEnd()])] })),
});

/** A block's lines become runs: consecutive bullet lines form a list, the rest paragraphs with line breaks. */
const blockNodes = (block: string): AdfDoc['content'] => {
  const nodes: AdfDoc['content'] = [];
  let run: string[] = [];
  let runIsList = false;
  const flush = () => {
    if (run.length > 0) nodes.push(runIsList ? bulletList(run) : paragraph(run));
    run = [];
  };
  for (const line of block.split('\n')) {
    const isBullet = BULLET.test(line);
    if (isBullet !== runIsList) flush();
    runIsList = isBullet;
    run.push(isBullet ? line : line.trimEnd());
  }
  flush();
  return nodes;
};

export const textToAdf = (text: string): AdfDoc => {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((b) => b.replace(/^(?:[ \t]*\n)+|\s+$/g, ''))
    .filter((b) => b !== '');
  const content = blocks.flatMap(blockNodes);
  return { type: 'doc', version: 1, content: content.length > 0 ? content : [{ type: 'paragraph', content: [] }] };
};

/** Whether a value already is an ADF document (a mapping may pass one through untouched). */
export const isAdfDoc = (value: unknown): value is AdfDoc => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
};
