import type { OpenAPIHono } from '@hono/zod-openapi';

import type { Sql } from '../db/sql';
import type { Deps } from '../deps';
import type { ConsentGrant } from '../modules/consent/gate';
import type { Caller, Principal } from './auth';

export interface AppVariables {
  deps: Deps;
  sql: Sql;
  requestId: string;
  principal?: Principal;
  /** Set when authentication counted the request against the credential's rate limit. */
  countedHits?: { bucket: string; hits: number };
  /**
   * Who calls: a settled principal, or a key its route leaves to the handler's statement (the
   * consent gate in `api/modules/consent/gate.ts`, or `readSettlingKey`).
   */
  caller?: Caller;
  /** A statement has settled the key left to the handler (its hits written, when due). */
  keySettled?: boolean;
  /** What the consent gate allowed this request (kept with a consented write's Idempotency-Key). */
  consentGrant?: ConsentGrant;
}

export type AppEnv = { Variables: AppVariables };
export type App = OpenAPIHono<AppEnv>;
