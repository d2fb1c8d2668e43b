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
 * failed). A database error: its kind, SQLSTATE code and the routine that raised it, never its
 * text or its stack (which starts with the text): PostgreSQL quotes the value refused in it
 * (`invalid input syntax for type date: "…"`), and a trigger's message may quote the row, either of
 * which may be a client's data.
 */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: 'unknown' };
  const { code, routine, severity } = error as Error & { code?: unknown; routine?: unknown; severity?: unknown };
  if (severity === undefined) return { error: error.name, message: error.message, stack: error.stack };
  return { error: error.name, code: typeof code === 'string' ? code : null, routine: routine ?? null };
}
