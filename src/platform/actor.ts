import type { Role } from '../db/schema/users.js';
import { forbidden } from '../errors.js';

/** Who is doing something, and from where: every service call that changes state takes one, for audit and permission. */
export interface Actor {
  userId: number | null;
  email: string;
  role: Role;
  ip: string | null;
  requestId: string | null;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const hasRole = (actual: Role, needed: Role): boolean => RANK[actual] >= RANK[needed];

export const assertRole = (actor: Actor, needed: Role, what: string): void => {
  if (!hasRole(actor.role, needed)) {
    throw forbidden(`Your role (${actor.role}) cannot ${what}; it needs ${needed} or higher.`);
  }
};

/** The system itself, for changes made at start-up (bootstrap admin, first-run defaults). */
export const systemActor: Actor = { userId: null, email: 'system', role: 'admin', ip: null, requestId: null };
