/** The message every storage implementation throws for a write whose eTag no longer matches (as botbuilder's storages do). */
export function eTagConflict(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

/** True for the error of a conditional write that lost to another writer; anything else is a real failure. */
export function isETagConflict(error: unknown): boolean {
  return error instanceof Error && /eTag conflict/i.test(error.message);
}
