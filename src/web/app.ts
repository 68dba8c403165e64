import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createApiApp } from '../api/api-app.js';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors.js';
import { projectPath } from '../paths.js';
import type { AppEnv } from './app-env.js';
import { errorHandler, notFoundHandler } from './error-pages.js';
import { requireSetupDone, requireSignIn } from './middleware/access.js';
import { csrfProtection } from './middleware/csrf.js';
import { serverLatency } from './middleware/latency.js';
import { requestIdMiddleware, requestLogger } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { sessionMiddleware } from './middleware/session.js';
import { createRenderer } from './render.js';
import { routes } from './route-names.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerApiReferenceRoutes } from './routes/api-reference-routes.js';
import { registerApiCredentialRoutes } from './routes/api-credential-routes.js';
import { registerAuditRoutes } from './routes/audit-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerDiagnosticsRoutes } from './routes/diagnostics-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerHelpRoutes } from './routes/help-routes.js';
import { registerHomeRoutes } from './routes/home-routes.js';
import { registerJobsRoutes } from './routes/jobs-routes.js';
import { registerSettingsRoutes } from './routes/settings-routes.js';
import { registerStaticRoutes } from './routes/static-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';
import { StaticAssets } from './static-assets.js';

export interface WebAppOptions {
  viewsDir?: string;
  staticDir?: string;
}

/** The Hono app: middleware in the order a request needs it, then platform pages, then plugin pages. */
export const createWebApp = (ctx: AppContext, options: WebAppOptions = {}): Hono<AppEnv> => {
  const assets = new StaticAssets(options.staticDir ?? projectPath('static'));
  const renderer = createRenderer(ctx, options.viewsDir ?? projectPath('views'), assets);
  const app = new Hono<AppEnv>();

  app.use(requestIdMiddleware());
  app.use(async (c, next) => {
    c.set('renderer', renderer);
    await next();
  });
  app.use(requestLogger(ctx.logger, ctx.config.trustedProxies));
  app.use(securityHeaders());
  // The REST API authenticates every request itself and answers in its own error body, so it comes before the body limit, sessions and CSRF.
  const api = createApiApp(ctx);
  app.route('/', api.app);
  app.use(
    bodyLimit({
      maxSize: ctx.config.bodyLimitBytes,
      onError: () => {
        throw new AppError(413, 'body_too_large', `The request body is larger than ${Math.round(ctx.config.bodyLimitBytes / 1024)} KB.`);
      },
    }),
  );
  app.onError(errorHandler(renderer));
  app.notFound(notFoundHandler(renderer));

  registerHealthRoutes(app, ctx.readiness);
  registerStaticRoutes(app, assets);
  // Upstream webhooks verify their own signatures; they come before sign-in, setup and CSRF checks.
  for (const loaded of ctx.plugins.plugins) {
    if (loaded.webhookRoutes.length) app.route(routes.webhooks(loaded.plugin.name), mergeRoutes(loaded.webhookRoutes));
  }

  let setupPending = ctx.users.needsSetup();
  // Once a user exists it stays that way, so the check stops touching the database.
  app.use(requireSetupDone(() => setupPending && (setupPending = ctx.users.needsSetup())));
  app.use(sessionMiddleware(ctx.sessions, ctx.config.baseUrl));
  app.use(csrfProtection([routes.login, routes.setup]));

  registerAuthRoutes(app, ctx, renderer);
  app.use(`${routes.home}/*`, requireSignIn());
  app.use(routes.home, requireSignIn());
  // `/admin/*` matches /admin itself too, so one mount times every admin request once.
  app.use(`${routes.home}/*`, serverLatency(ctx.latency, [routes.diagnosticsLatency]));
  registerHomeRoutes(app, ctx, renderer);
  registerJobsRoutes(app, ctx, renderer);
  registerSettingsRoutes(app, ctx, renderer);
  registerUserRoutes(app, ctx, renderer);
  registerApiCredentialRoutes(app, ctx, renderer);
  registerAuditRoutes(app, ctx, renderer);
  registerHelpRoutes(app, ctx, renderer);
  registerAccountRoutes(app, ctx, renderer);
  registerDiagnosticsRoutes(app, ctx, renderer);
  registerApiReferenceRoutes(app, renderer, api.document);

  for (const loaded of ctx.plugins.plugins) app.route(routes.plugin(loaded.plugin.name), mergeRoutes(loaded.adminRoutes));

  return app;
};

const mergeRoutes = (parts: Hono<AppEnv>[]): Hono<AppEnv> => {
  const merged = new Hono<AppEnv>();
  for (const part of parts) merged.route('/', part);
  return merged;
};
