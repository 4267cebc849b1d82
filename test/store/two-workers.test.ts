import { approvalRaces } from './approval-races';

/**
 * One bot process with two workers (WEB_CONCURRENCY=2), on one DATA_DIR and on one Blob store, 48 approval races each
 * (test/store/approval-races.ts says what is raced and counted).
 */
approvalRaces('workers');
