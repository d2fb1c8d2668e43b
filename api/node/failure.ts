import { ConfigError } from '../config';

/**
 * Stops a Node process that cannot start, with one line on stderr. A configuration error names
 * the variable at fault (and never repeats a secret's value).
 */
export function exitWithStartupError(error: unknown): never {
  const fields =
    error instanceof ConfigError
      ? { msg: 'invalid configuration', variable: error.variable, error: error.message }
      : { msg: 'failed to start', error: error instanceof Error ? error.message : String(error) };
  console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', ...fields }));
  process.exit(1);
}
