import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '../deps';
import type { Sql } from '../db/sql';
import type { Principal } from './auth';

export interface AppVariables {
  deps: Deps;
  sql: Sql;
  requestId: string;
  principal?: Principal;
}

export type AppEnv = { Variables: AppVariables };
export type App = OpenAPIHono<AppEnv>;
