import type { ApiCaller } from '../auth/api-credentials/request-authenticator.js';
import type { ActiveSession } from '../auth/session-service.js';
import type { Actor } from '../platform/actor.js';
import type { Logger } from '../platform/logger.js';
import type { Renderer } from './render.js';

export interface Flash {
  kind: 'success' | 'info' | 'warning' | 'danger';
  text: string;
}

/** Per-request values the middleware chain sets for handlers. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    session: ActiveSession | undefined;
    sessionExpired: boolean;
    actor: Actor;
    flash: Flash | undefined;
    clientIp: string;
    /** Plugins render their pages with the same layout through this. */
    renderer: Renderer;
    /** Set by `timedAction`: the route's name on the diagnostics page. */
    latencyAction: string | undefined;
    /** Set by apiAuth under /api/v1: the authenticated API credential. */
    apiCredential: ApiCaller | undefined;
  };
}
