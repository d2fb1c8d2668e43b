import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { serve, type ServerType } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

import { configFromEnv } from '../../api/config';
import type { App } from '../../api/http/context';
import { ManualClock } from '../../api/lib/clock';
import { registerDevIdentityProviderPages } from '../../api/modules/dev-idp/pages';
import type { Database } from '../../api/node/database';
import { requestInit, type TestApp, testAppOver } from './app';
import { openTestDatabase } from './database';
import { ADMIN_TOKEN } from './fixtures';

/** Page tests run in the system's Chromium; without it they are skipped, except in CI (which installs it). */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI)
  throw new Error(`page tests need Chromium at ${CHROMIUM} in CI (.ci/run installs it)`);
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Headless Chromium that never calls home (no updates, sync or background fetches). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Runs axe-core on the page as it stands; fails on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  const blocking = (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `axe on ${label}`).toEqual([]);
}

export async function h1(page: Page): Promise<string> {
  await expect.poll(() => page.locator('h1').count()).toBe(1);
  return (await page.locator('h1').innerText()).trim();
}

/** Checks a page in Spanish, switches to English with the page's own link, checks again (axe on both), and back. */
export async function inBothLanguages(
  page: Page,
  label: string,
  check: (lang: 'es' | 'en') => Promise<void>,
): Promise<void> {
  await check('es');
  await expectAccessible(page, `${label} (es)`);
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL((url) => url.searchParams.get('lang') === 'en');
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await check('en');
  await expectAccessible(page, `${label} (en)`);
  await page.getByRole('link', { name: 'Español' }).click();
  await page.waitForURL((url) => url.searchParams.get('lang') === 'es');
}

export interface BrowserHarness {
  baseUrl: string;
  app: App;
  /** The app behind a real listening server; `request` goes through HTTP (redirects not followed). */
  t: TestApp;
  database: Database;
  clock: ManualClock;
  browser: Browser;
  newPage(options?: { bypassCSP?: boolean }): Promise<Page>;
  /** Signs in at the development identity provider page the browser has been sent to. */
  signIn(page: Page, idNumber: string, name: string): Promise<void>;
  close(): Promise<void>;
}

/** The app served on a local port (so links carry the real base URL) and a headless Chromium. */
export async function startBrowserHarness(options: { env?: Record<string, string> } = {}): Promise<BrowserHarness> {
  const database = await openTestDatabase();
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  let server: ServerType | undefined;
  // Listen first: the app's base URL (approval links, token issuers) must carry the real port.
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: (request, env) => app.fetch(request, env), port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(info.port),
    );
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = configFromEnv({
    PUENTE_ENV: 'test',
    PUENTE_BASE_URL: baseUrl,
    PUENTE_ADMIN_TOKEN: ADMIN_TOKEN,
    ...options.env,
  });
  const t = testAppOver(database, config, clock, (path, init = {}) =>
    fetch(`${baseUrl}${path}`, { ...requestInit(init), redirect: 'manual' }),
  );
  const app = t.app;
  if (!app.routes.some((r) => r.path === '/dev-idp/login')) registerDevIdentityProviderPages(app);
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    baseUrl,
    app,
    t,
    database,
    clock,
    browser,
    async newPage(pageOptions = {}) {
      // axe is injected as an inline script, which the pages' Content-Security-Policy rightly forbids.
      const context = await browser.newContext({ bypassCSP: pageOptions.bypassCSP ?? true, locale: 'es-ES' });
      contexts.push(context);
      return context.newPage();
    },
    async signIn(page, idNumber, name) {
      await expect.poll(() => new URL(page.url()).pathname).toBe('/dev-idp/login');
      await page.getByLabel('DNI o NIE').fill(idNumber);
      await page.getByLabel('Nombre y apellidos').fill(name);
      await Promise.all([
        page.waitForURL((url) => url.pathname.startsWith('/ciudadania')),
        page.getByRole('button', { name: 'Entrar' }).click(),
      ]);
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await database.close();
    },
  };
}

/**
 * The harness of the enclosing `describe` block: started before its tests, closed after them. It
 * answers once the tests run.
 */
export function suiteBrowserHarness(options: { env?: Record<string, string> } = {}): BrowserHarness {
  let started: BrowserHarness | undefined;
  beforeAll(async () => {
    started = await startBrowserHarness(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as BrowserHarness, {
    get(_, key) {
      if (!started) throw new Error('The browser harness starts before the tests run.');
      return Reflect.get(started, key);
    },
  });
}
