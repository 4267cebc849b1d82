import type { CaseState, RecoveryCase } from '../../src/domain/case';
import type { CaseObserver } from '../../src/ports/case-services';

/** The CaseObserver as the thread sees it: every saved change and every plain message, in order. */
export class RecordingObserver implements CaseObserver {
  readonly changes: RecoveryCase[] = [];
  readonly notes: Array<{ readonly caseId: string; readonly text: string }> = [];

  caseChanged(c: RecoveryCase): Promise<void> {
    this.changes.push(c);
    return Promise.resolve();
  }

  notify(c: RecoveryCase, text: string): Promise<void> {
    this.notes.push({ caseId: c.id, text });
    return Promise.resolve();
  }

  /** The states the observer was told about, in order. */
  states(): CaseState[] {
    return this.changes.map((c) => c.state);
  }
}
