import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '../deps';
import type { Sql } from '../db/sql';
import type { Principal } from './auth';
import type { ApiKeyLookup } from './auth.queries';

export interface AppVariables {
  deps: Deps;
  sql: Sql;
  requestId: string;
  principal?: Principal;
  /** Set when authentication counted the request against the credential's rate limit. */
  countedHits?: { bucket: string; hits: number };
  /** Set by `deferApiKey()`: the key to authenticate inside the handler's own statement. */
  apiKeyLookup?: ApiKeyLookup;
}

export type AppEnv = { Variables: AppVariables };
export type App = OpenAPIHono<AppEnv>;
