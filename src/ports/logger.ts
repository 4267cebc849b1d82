/**
 * Structured logging. Fields are data, never secrets: the logger also redacts any field whose name looks like a
 * credential, as a second line of defence.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined | null>>;
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
