import type { LogFields, Logger } from '../ports/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Field names that must never carry a value into a log line, whatever a caller passes. */
const SECRET_FIELD = /pass(word)?|secret|token|temporaryAccessPass|tap|authorization|credential|key/i;

export function redact(fields: LogFields | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : v;
  return out;
}

/**
 * JSON lines on stdout/stderr, one object per event, for any log shipper. `context` is on every line: which process
 * wrote it when several workers share the output (`worker`, `pid`; src/workers.ts).
 */
export function createConsoleLogger(minimum: Level, write: (line: string, level: Level) => void = defaultWrite, context: LogFields = {}): Logger {
  const log = (level: Level) => (message: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[minimum]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...context, ...redact(fields) }), level);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function defaultWrite(line: string, level: Level): void {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}
