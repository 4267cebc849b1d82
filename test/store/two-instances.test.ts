import { approvalRaces } from './approval-races';

/** Two bot processes on one Blob store, 200 approval races (test/store/approval-races.ts says what is raced and counted). */
approvalRaces('instances');
