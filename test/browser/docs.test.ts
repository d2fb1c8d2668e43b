import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';

const CHROMIUM = '/usr/bin/chromium';

let t: TestApp;
let server: ServerType;
let base: string;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('/docs', () => {
  beforeAll(async () => {
    t = await createTestApp();
    base = await new Promise<string>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => server.close(() => r()));
    await t.close();
  });

  it('renders the interactive reference with the network cut off', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    // Anything not served by Puente itself fails, as on a closed government network.
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(base)) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const operations = await page.locator('.opblock').count();
    expect(operations).toBeGreaterThan(60);
    await expect(page.locator('.info .title').first().textContent()).resolves.toContain('Puente API');
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);
});
