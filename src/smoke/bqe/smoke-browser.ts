import { SMOKE_BROWSER_AGENT } from './recording-proxy.js';

/** One answer as a browser sees it with redirects not followed: the status, where it points, the body. */
export interface PageAnswer {
  status: number;
  location: string | null;
  text: string;
}

const CSRF_FIELD = /<input type="hidden" name="_csrf" value="([^"]+)">/;
const CSRF_META = /<meta name="csrf-token" content="([^"]+)">/;

/**
 * A small browser for the hub's pages: keeps the session cookie, reads the
 * CSRF token from each page it loads (the forms' hidden field, or the meta
 * tag), posts forms the way a page without JavaScript does (with the Origin
 * header a browser adds), and never follows a redirect by itself, so each
 * hop of a redirect chain can be checked.
 */
export class SmokeBrowser {
  readonly #cookies = new Map<string, string>();
  #csrf = '';

  constructor(readonly origin: string) {}

  get csrfToken(): string {
    return this.#csrf;
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<PageAnswer> {
    const target = new URL(url, this.origin);
    const own = target.origin === this.origin;
    const headers: Record<string, string> = { 'User-Agent': SMOKE_BROWSER_AGENT, Accept: 'text/html' };
    if (own && this.#cookies.size > 0) headers.Cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers.Origin = this.origin;
    }
    const res = await fetch(target, { method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
    if (own) this.#keepCookies(res);
    const text = await res.text();
    const token = CSRF_FIELD.exec(text)?.[1] ?? CSRF_META.exec(text)?.[1];
    if (own && token) this.#csrf = token;
    return { status: res.status, location: res.headers.get('location'), text };
  }

  get(url: string): Promise<PageAnswer> {
    return this.request('GET', url);
  }

  /** Submits a form with the CSRF token of the last page loaded, as the page's own form would. */
  post(url: string, fields: Record<string, string> = {}): Promise<PageAnswer> {
    return this.request('POST', url, { _csrf: this.#csrf, ...fields });
  }

  #keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}
