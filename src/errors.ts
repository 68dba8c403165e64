/**
 * One error type with a stable code. Services throw these; the web and API
 * adapters map them to responses in one place, and internals never leak.
 */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly fieldErrors: FieldErrors | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; fieldErrors?: FieldErrors } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.fieldErrors = options.fieldErrors;
  }
}

export const validationError = (message: string, fieldErrors?: FieldErrors): AppError =>
  new AppError(422, 'validation_failed', message, fieldErrors ? { fieldErrors } : {});

export const notFound = (message: string): AppError => new AppError(404, 'not_found', message);

export const unauthenticated = (message = 'Please sign in to continue.'): AppError =>
  new AppError(401, 'unauthenticated', message);

export const forbidden = (message: string): AppError => new AppError(403, 'forbidden', message);

export const conflict = (message: string): AppError => new AppError(409, 'conflict', message);

export const tooManyRequests = (message: string, retryAfterSeconds: number): AppError =>
  new AppError(429, 'too_many_requests', message, { details: { retryAfterSeconds } });

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

/** A start-up problem the operator must fix; printed as one line, no stack. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
