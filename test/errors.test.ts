import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, conflict, forbidden, isAppError, notFound, StartupError, tooManyRequests, unauthenticated, validationError } from '../src/errors.js';

test('an AppError carries status, code, message, details, field errors and cause', () => {
  const cause = new Error('disk full');
  const err = new AppError(418, 'teapot', 'I am a teapot.', { cause, details: { brew: 'tea' }, fieldErrors: { cup: 'Too small.' } });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'AppError');
  assert.equal(err.status, 418);
  assert.equal(err.code, 'teapot');
  assert.equal(err.message, 'I am a teapot.');
  assert.deepEqual(err.details, { brew: 'tea' });
  assert.deepEqual(err.fieldErrors, { cup: 'Too small.' });
  assert.equal(err.cause, cause);
});

test('an AppError without options has no cause, details or field errors', () => {
  const err = new AppError(500, 'internal', 'Oops.');
  assert.equal(err.cause, undefined);
  assert.equal('cause' in err, false);
  assert.equal(err.details, undefined);
  assert.equal(err.fieldErrors, undefined);
});

test('the helpers map to the HTTP status and stable code they name', () => {
  const cases: [AppError, number, string][] = [
    [validationError('Bad.'), 422, 'validation_failed'],
    [notFound('Gone.'), 404, 'not_found'],
    [unauthenticated(), 401, 'unauthenticated'],
    [forbidden('No.'), 403, 'forbidden'],
    [conflict('Clash.'), 409, 'conflict'],
    [tooManyRequests('Slow down.', 30), 429, 'too_many_requests'],
  ];
  for (const [err, status, code] of cases) {
    assert.equal(err.status, status, code);
    assert.equal(err.code, code);
  }
});

test('validationError keeps field errors only when given', () => {
  assert.deepEqual(validationError('Bad.', { email: 'Enter an email.' }).fieldErrors, { email: 'Enter an email.' });
  assert.equal(validationError('Bad.').fieldErrors, undefined);
});

test('unauthenticated has a default message that asks to sign in', () => {
  assert.equal(unauthenticated().message, 'Please sign in to continue.');
  assert.equal(unauthenticated('Session ended.').message, 'Session ended.');
});

test('tooManyRequests records how long to wait', () => {
  assert.deepEqual(tooManyRequests('Slow down.', 42).details, { retryAfterSeconds: 42 });
});

test('isAppError tells AppErrors from other errors', () => {
  assert.equal(isAppError(notFound('x')), true);
  assert.equal(isAppError(new Error('x')), false);
  assert.equal(isAppError(new StartupError('x')), false);
  assert.equal(isAppError({ status: 404, code: 'not_found' }), false);
  assert.equal(isAppError(undefined), false);
});

test('a StartupError is named and keeps its cause', () => {
  const cause = new Error('EACCES');
  const err = new StartupError('PORT: in use', { cause });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'StartupError');
  assert.equal(err.message, 'PORT: in use');
  assert.equal(err.cause, cause);
  assert.equal(String(err), 'StartupError: PORT: in use');
});
