import type { LogFields, Logger } from '../../src/ports/logger';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A Logger that keeps every line, for tests that check what was logged (and what was not). */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug = (message: string, fields?: LogFields): void => void this.lines.push({ level: 'debug', message, fields });
  info = (message: string, fields?: LogFields): void => void this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields?: LogFields): void => void this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields?: LogFields): void => void this.lines.push({ level: 'error', message, fields });
}
