import type { IdGenerator } from '../../src/ports/clock';
import type { SecretGenerator } from '../../src/ports/case-services';

/** Case ids RC-00000001, RC-00000002, ...: valid, predictable, and different for every case. */
export class SequentialIds implements IdGenerator {
  private next = 0;
  caseId(): string {
    return `RC-${String(++this.next).padStart(8, '0')}`;
  }
}

/** Passwords that are predictable in a test and never equal to each other. */
export class SequentialSecrets implements SecretGenerator {
  private next = 0;
  password(): string {
    return `Test-Password-${++this.next}!`;
  }
}
