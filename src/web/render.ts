import { Eta } from 'eta';
import type { Context } from 'hono';
import type { AppContext } from '../app-context.js';
import type { PublicUser } from '../auth/user-service.js';
import { hasRole } from '../platform/actor.js';
import type { AppEnv, Flash } from './app-env.js';
import { routes } from './route-names.js';
import type { StaticAssets } from './static-assets.js';

export interface Breadcrumb {
  label: string;
  href?: string;
}

export interface PageOptions {
  title: string;
  breadcrumbs?: Breadcrumb[];
  helpTopic?: string;
  /** The help button reads "Help: <helpLabel>"; defaults to the title (a detail page names its list instead). */
  helpLabel?: string;
  /** Highlights the matching menu entry. */
  active?: string;
  status?: number;
}

interface MenuSection {
  title: string;
  items: { label: string; href: string }[];
}

/** The helpers every template can call through `it.h`. */
export interface ViewHelpers {
  asset(rel: string): string;
  routes: typeof routes;
  formatTime(ms: number | null | undefined): string;
  json(value: unknown): string;
}

export const createRenderer = (ctx: AppContext, viewsDir: string, assets: StaticAssets) => {
  const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });
  const helpers: ViewHelpers = {
    asset: (rel) => assets.url(rel),
    routes,
    formatTime: (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—'),
    json: (value) => JSON.stringify(value, null, 2),
  };

  const menuFor = (user: PublicUser | undefined): MenuSection[] => {
    if (!user) return [];
    const platformItems = [
      { label: 'Overview', href: routes.home, role: 'viewer' as const },
      { label: 'Jobs', href: routes.jobs, role: 'viewer' as const },
      { label: 'Settings', href: routes.settings, role: 'viewer' as const },
      { label: 'Diagnostics', href: routes.diagnostics, role: 'viewer' as const },
      { label: 'Users', href: routes.users, role: 'admin' as const },
      { label: 'API credentials', href: routes.apiCredentials, role: 'viewer' as const },
      { label: 'API reference', href: routes.apiReference, role: 'viewer' as const },
      { label: 'Audit log', href: routes.audit, role: 'admin' as const },
      { label: 'Help', href: routes.help, role: 'viewer' as const },
    ];
    const sections: MenuSection[] = [{ title: 'Hub', items: platformItems.filter((i) => hasRole(user.role, i.role)) }];
    for (const item of ctx.plugins.menu) {
      if (!hasRole(user.role, item.role)) continue;
      let section = sections.find((s) => s.title === item.section);
      if (!section) sections.push((section = { title: item.section, items: [] }));
      section.items.push({ label: item.label, href: item.href });
    }
    return sections;
  };

  const common = (c: Context<AppEnv>) => {
    const session = c.get('session');
    return {
      h: helpers,
      user: session?.user,
      csrfToken: session?.csrfToken ?? '',
      requestId: c.get('requestId'),
      instanceName: ctx.platformSettings().instanceName,
    };
  };

  return {
    eta,
    helpers,
    /** A full page inside the layout. */
    page(c: Context<AppEnv>, view: string, data: Record<string, unknown>, options: PageOptions): Response {
      const flash: Flash | undefined = c.get('flash');
      const html = eta.render(view, {
        ...common(c),
        ...data,
        page: { ...options, breadcrumbs: options.breadcrumbs ?? [] },
        menu: menuFor(c.get('session')?.user),
        flash,
        currentPath: c.req.path,
      });
      return c.html(html, (options.status ?? 200) as 200);
    },
    /** A fragment for htmx to swap in; no layout. */
    fragment(c: Context<AppEnv>, view: string, data: Record<string, unknown>, status = 200): Response {
      return c.html(eta.render(view, { ...common(c), ...data }), status as 200);
    },
  };
};

export type Renderer = ReturnType<typeof createRenderer>;
