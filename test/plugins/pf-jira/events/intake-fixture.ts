import pino from 'pino';
import { transactionRunner } from '../../../../src/db/transaction.js';
import { JobQueue } from '../../../../src/jobs/index.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { EventBus } from '../../../../src/platform/events.js';
import { createEventRepository } from '../../../../src/plugins/pf-jira/db/event-repository.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { createIntake } from '../../../../src/plugins/pf-jira/events/intake.js';
import { migratedDb } from '../../../helpers/db.js';

export const silentLogger = pino({ level: 'silent' });

/**
 * A migrated database with the real event log, job queue and intake.
 */
export const intakeFixture = () => {
  const handle = migratedDb();
  const db = pluginDb(handle);
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  const queue = new JobQueue(handle, clock, new EventBus());
  const events = createEventRepository(db);
  const intake = createIntake({ events, queue, tx: transactionRunner(handle), clock, logger: silentLogger });
  const jobs = () =>
    handle.sqlite.prepare('SELECT task_identifier AS task, key, payload, max_attempts AS maxAttempts FROM jobs ORDER BY id').all() as {
      task: string;
      key: string | null;
      payload: string;
      maxAttempts: number;
    }[];
  return { handle, db, clock, queue, events, intake, jobs, close: () => handle.close() };
};
