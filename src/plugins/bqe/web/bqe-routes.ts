import { CALLBACK_PATH } from '../connections/connection-service.js';

/** Every URL of the BQE plugin's pages, in one place (mounted under /admin/bqe). */
const base = '/admin/bqe';

const connection = (id: number) => `${base}/connections/${id}`;

export const bqeRoutes = {
  connections: `${base}/connections`,
  connection,
  connectionCredentials: (id: number) => `${connection(id)}/credentials`,
  /** Connect with BQE / Reconnect OAuth: answers with a redirect to BQE's consent page. */
  connectionAuthorize: (id: number) => `${connection(id)}/authorize`,
  connectionDisconnect: (id: number) => `${connection(id)}/disconnect`,
  connectionDelete: (id: number) => `${connection(id)}/delete`,
  connectionOffset: (id: number) => `${connection(id)}/utc-offset`,
  connectionTest: (id: number) => `${connection(id)}/test`,
  connectionSyncSettings: (id: number) => `${connection(id)}/sync-settings`,
  /** Sync now (delta) or a full re-sync of every object. */
  connectionSync: (id: number, mode: 'delta' | 'full') => `${connection(id)}/sync/${mode}`,
  /** The sync status panel alone (a fragment), and the same live over SSE. */
  connectionSyncStatus: (id: number) => `${connection(id)}/sync-status`,
  connectionStream: (id: number) => `${connection(id)}/stream`,
  /** BQE sends the browser back here; it must match the redirect URI registered in the BQE developer portal exactly. */
  oauthCallback: CALLBACK_PATH,
  projects: `${base}/projects`,
  /** One project's sub-projects, as a fragment of the hierarchy (or a page without JavaScript). */
  projectChildren: `${base}/projects/children`,
  clients: `${base}/clients`,
} as const;

/** A connection id in a handler's path: `/connections/${CONNECTION_ID}/test`. */
export const CONNECTION_ID = ':id{[0-9]{1,12}}';

/** The same paths relative to the plugin's mount point, for registering handlers. */
export const local = (path: string): string => path.slice(base.length) || '/';
