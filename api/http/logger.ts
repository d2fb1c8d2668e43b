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
