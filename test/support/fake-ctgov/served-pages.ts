import type { Answer } from './answer.js';

/** Plain HTML pages at paths of the fake's origin, as registry pages for page watchlists. */
export class ServedPages {
  private readonly pages = new Map<string, string>();

  serve(path: string, html: string): void {
    this.pages.set(path, html);
  }

  /** The page at `path`, or undefined when none is served there. */
  answer(path: string): Answer | undefined {
    const page = this.pages.get(path);
    return page === undefined
      ? undefined
      : { status: 200, body: page, headers: { 'content-type': 'text/html; charset=utf-8' } };
  }
}
