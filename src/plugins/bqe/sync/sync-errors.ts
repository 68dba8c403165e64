import { AppError } from '../../../errors.js';

/**
 * BQE answered a page with exactly the records already read (a server that
 * ignores the page number would otherwise be paged forever). Retrying cannot
 * help, so the run fails with this error and the page is not committed.
 */
export class PageRepeatError extends AppError {
  constructor(object: string, page: number) {
    super(
      502,
      'bqe_page_repeat',
      `BQE answered ${object} page ${page} with the same records as the page before, so paging cannot go on; nothing from that page was saved. If it keeps happening, BQE is ignoring the page number: report it to BQE support.`,
      { details: { object, page } },
    );
    this.name = 'PageRepeatError';
  }
}

/** A record BQE sent that cannot be mirrored as it is (e.g. no usable lastUpdated); the page is not committed. */
export class BadRecordError extends AppError {
  constructor(message: string, details: Record<string, unknown>) {
    super(502, 'bqe_bad_record', message, { details });
    this.name = 'BadRecordError';
  }
}

export const OFFSET_MISSING =
  'Set the UTC offset for this connection (UTC offset card on the connection page) before syncing: BQE sends local times, and without the offset Switchyard cannot read them or ask for changes.';

/** The connection has no UTC offset, so no BQE timestamp can be read or asked for; an admin must set it. */
export class OffsetMissingError extends AppError {
  constructor() {
    super(409, 'bqe_utc_offset_missing', OFFSET_MISSING);
    this.name = 'OffsetMissingError';
  }
}

/** Why resetCursors stops a run in progress: its filter and timestamps are in the old offset. */
export const OFFSET_CHANGED =
  'The UTC offset of this connection changed while the run was in progress, so it stopped; the next run reads everything again in the new offset.';

/** The run was ended from outside (the offset changed) while a slice was reading a page; the page is not saved. */
export class RunStoppedError extends AppError {
  constructor(runId: number) {
    super(409, 'bqe_sync_run_stopped', `Sync run ${runId} was stopped while it was reading a page; nothing from that page was saved.`, { details: { runId } });
    this.name = 'RunStoppedError';
  }
}
