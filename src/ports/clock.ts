/** Time is passed in so decisions and tests don't depend on the wall clock. */
export interface Clock {
  now(): Date;
}
/** Case ids and other identifiers come from outside the core so tests can fix them. */
export interface IdGenerator {
  caseId(): string;
}
