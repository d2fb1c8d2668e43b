import type { Config } from '../config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** One JSON object per line: what log shippers on every platform understand. */
export function jsonLogger(level: Config['logLevel'], write: (line: string) => void = (l) => console.log(l)): Logger {
  const threshold = RANK[level];
  return {
    log(lvl, message, fields = {}) {
      if (RANK[lvl] < threshold) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: message, ...fields }));
    },
  };
}

/** Keeps lines in memory; used by tests that inspect what was logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const inner = jsonLogger('debug', (l) => lines.push(l));
  return { lines, log: inner.log };
}

/**
 * What the logs keep of an error. Ours: its kind, message and stack (they say where the code
 * failed). A database error: its kind, SQLSTATE code and the routine that raised it, and its text
 * unless it is a data exception (class 22), whose text quotes the value refused (`invalid input
 * syntax for type date: "…"`), which may be a client's data; never its stack, which starts with
 * that text and shows only the driver.
 */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: 'unknown' };
  const { code, routine, severity } = error as Error & { code?: unknown; routine?: unknown; severity?: unknown };
  if (severity === undefined) return { error: error.name, message: error.message, stack: error.stack };
  const sqlstate = typeof code === 'string' ? code : null;
  return {
    error: error.name,
    code: sqlstate,
    routine: routine ?? null,
    ...(sqlstate === null || sqlstate.startsWith('22') ? {} : { message: error.message }),
  };
}
