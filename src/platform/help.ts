import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { MarkdownIt as Markdown } from 'markdown-it';
import { notFound } from '../errors.js';

export interface HelpTopicSummary {
  name: string;
  title: string;
  summary: string;
}

export interface HelpTopic extends HelpTopicSummary {
  html: string;
  toc: { level: number; id: string; text: string }[];
}

const TOPIC_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const slugify = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-');

/**
 * Renders markdown help topics with raw HTML disabled. Topics come from
 * user_guides/ and from folders plugins register; a name is a plain slug,
 * so a path can never reach outside those folders.
 */
export class HelpLibrary {
  readonly #dirs: string[] = [];
  #markdown: Markdown | undefined;

  constructor(baseDir: string) {
    this.#dirs.push(baseDir);
  }

  /** markdown-it and its entity tables hold about 3 MiB, so they load with the first help page rather than at start-up. */
  get #md(): Markdown {
    if (!this.#markdown) {
      const require = createRequire(import.meta.url);
      const MarkdownIt = require('markdown-it') as typeof import('markdown-it').default;
      const anchor = require('markdown-it-anchor') as typeof import('markdown-it-anchor').default;
      this.#markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
      this.#markdown.use(anchor, { slugify, level: [2, 3], permalink: anchor.permalink.headerLink({ safariReaderFix: true }) });
    }
    return this.#markdown;
  }

  addDirectory(dir: string): void {
    if (!this.#dirs.includes(dir)) this.#dirs.push(dir);
  }

  #fileFor(name: string): string | undefined {
    if (!TOPIC_NAME.test(name)) return undefined;
    for (const dir of this.#dirs) {
      const file = path.join(dir, `${name}.md`);
      if (fs.existsSync(file)) return file;
    }
    return undefined;
  }

  list(): HelpTopicSummary[] {
    const seen = new Map<string, HelpTopicSummary>();
    for (const dir of this.#dirs) {
      if (!fs.existsSync(dir)) continue;
      for (const entry of fs.readdirSync(dir)) {
        const name = entry.replace(/\.md$/, '');
        if (!entry.endsWith('.md') || !TOPIC_NAME.test(name) || seen.has(name)) continue;
        seen.set(name, { name, ...this.#describe(fs.readFileSync(path.join(dir, entry), 'utf8'), name) });
      }
    }
    return [...seen.values()].sort((a, b) => a.title.localeCompare(b.title));
  }

  has(name: string): boolean {
    return this.#fileFor(name) !== undefined;
  }

  get(name: string): HelpTopic {
    const file = this.#fileFor(name);
    if (!file) throw notFound(`There is no help topic named "${name.slice(0, 64)}".`);
    const source = fs.readFileSync(file, 'utf8');
    const tokens = this.#md.parse(source, {});
    const toc: HelpTopic['toc'] = [];
    tokens.forEach((token, i) => {
      if (token.type !== 'heading_open' || (token.tag !== 'h2' && token.tag !== 'h3')) return;
      const id = token.attrGet('id');
      const text = tokens[i + 1]?.content ?? '';
      if (id !== null) toc.push({ level: token.tag === 'h2' ? 2 : 3, id: String(id), text });
    });
    return { name, ...this.#describe(source, name), html: this.#md.renderer.render(tokens, this.#md.options, {}), toc };
  }

  #describe(source: string, name: string): { title: string; summary: string } {
    const title = /^#\s+(.+)$/m.exec(source)?.[1]?.trim() ?? name;
    const summary = source
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith('#')) ?? '';
    return { title, summary: summary.replace(/\s+/g, ' ').replace(/[*_`[\]]/g, '').slice(0, 200) };
  }
}
