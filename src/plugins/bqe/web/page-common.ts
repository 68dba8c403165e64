import type { Context } from 'hono';
import { isAppError } from '../../../errors.js';
import { hasRole } from '../../../platform/actor.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { FormFields } from '../../../web/form.js';
import { bqeRoutes } from './bqe-routes.js';

/** The first breadcrumb of every BQE page. */
export const BQE_CRUMB = { label: 'BQE Core' };

/** A form's state after a post: the problems to show beside each field and what the user typed. */
export interface FormState {
  errors: Record<string, string>;
  message?: string;
  saved?: string;
  submitted?: FormFields;
}

export const emptyForm = (): FormState => ({ errors: {} });

/** Secrets are never echoed back into a page, even after a failed save. */
export const withoutSecret = (form: FormFields): FormFields => {
  const { clientSecret: _dropped, ...rest } = form;
  return rest;
};

/** A refused save as form state, or undefined when the error is not one a form shows (it propagates). */
export const formProblem = (err: unknown, form: FormFields): (FormState & { status: number }) | undefined => {
  if (!isAppError(err) || (err.status !== 422 && err.status !== 409)) return undefined;
  return { status: err.status, errors: err.fieldErrors ?? {}, message: err.message, submitted: withoutSecret(form) };
};

/** What every BQE template needs besides its own data. */
export const common = (c: Context<AppEnv>) => {
  const role = c.get('actor').role;
  return {
    h: c.var.renderer.helpers,
    csrfToken: c.get('session')?.csrfToken ?? '',
    routes: bqeRoutes,
    canOperate: hasRole(role, 'operator'),
    canEdit: hasRole(role, 'admin'),
  };
};

/** A value to show in a field: what was submitted when the form came back with errors, else the stored value. */
export const shownValue = (state: FormState, key: string, stored: unknown): unknown => {
  if (state.submitted && Object.prototype.hasOwnProperty.call(state.submitted, key)) {
    const v = state.submitted[key];
    return Array.isArray(v) ? v[v.length - 1] : v;
  }
  return stored;
};
