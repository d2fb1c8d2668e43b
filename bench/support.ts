import { cpus, totalmem } from 'node:os';

import { createSql } from '../api/db/client';

/** The local PostgreSQL the load tools use unless DATABASE_URL names another. */
export const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Drops and recreates a database next to BASE_DATABASE_URL's, and answers its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = createSql(BASE_DATABASE_URL, { max: 1 });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What the figures were measured on, for the results file. */
export function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}
