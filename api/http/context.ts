import type { OpenAPIHono } from '@hono/zod-openapi';

import type { Sql } from '../db/sql';
import type { Deps } from '../deps';
import type { Caller, Principal } from './auth';

export interface AppVariables {
  deps: Deps;
  sql: Sql;
  requestId: string;
  principal?: Principal;
  /** Set when authentication counted the request against the credential's rate limit. */
  countedHits?: { bucket: string; hits: number };
  /** The caller of an operation on a client's data, for the consent gate (see `api/modules/consent/gate.ts`). */
  caller?: Caller;
}

export type AppEnv = { Variables: AppVariables };
export type App = OpenAPIHono<AppEnv>;
