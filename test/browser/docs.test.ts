import { createRequire } from 'node:module';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type ServedApp, serveTestApp, type TestApp } from '../support/app';
import { haveChromium, launchBrowser } from '../support/browser';
import { registerOrg } from '../support/fixtures';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let t: TestApp;
let server: ServedApp | undefined;
let base: string;
let browser: Browser;

/** A page where anything not served by Puente itself fails, as on a closed government network. */
async function offlinePage(options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; outside: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(base)) return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${base}/docs`);
  await page.waitForSelector('#reference [id^="operation/"]', { timeout: 30_000 });
  return { page, outside };
}

describe.skipIf(!haveChromium)('/docs', () => {
  beforeAll(async () => {
    t = await createTestApp();
    server = await serveTestApp(t);
    base = server.url;
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t.close();
  });

  it('renders every operation with its curl and SDK samples, with the network cut off', async () => {
    const { page, outside } = await offlinePage();
    const operations = await page.locator('#reference [id^="operation/"]').count();
    expect(operations).toBeGreaterThan(60);
    await expect(page.locator('#reference h1').first().textContent()).resolves.toContain('Puente API');
    const operation = page.locator('#operation\\/updateProcedure');
    await expect(operation.locator('[role="tab"]').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['curl', 'SDK']),
    );
    await operation.locator('[role="tab"]', { hasText: 'curl' }).first().click();
    await expect(operation.textContent()).resolves.toContain('curl -sS -X PATCH');
    await operation.locator('[role="tab"]', { hasText: 'SDK' }).first().click();
    await expect(operation.textContent()).resolves.toContain("puente.forClient('dlg_");
    await page.waitForTimeout(500);
    expect(outside).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('lets a developer try a call with their test key, and refuses a live key', async () => {
    const org = await registerOrg(t);
    const { page, outside } = await offlinePage();
    await page.locator('#console-operation').selectOption('listMembers');
    await expect(page.locator('#console-path').inputValue()).resolves.toBe('/v1/members');
    await page.locator('#console-key').fill(org.testKey);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForFunction(() => document.getElementById('console-result')!.textContent!.startsWith('200'));
    await expect(page.locator('#console-result').textContent()).resolves.toContain('"has_more"');

    await page.locator('#console-operation').selectOption('createMember');
    await expect(page.locator('#console-body').inputValue()).resolves.toContain('"role"');
    await page.locator('#console-key').fill('sk_live_abc');
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page.locator('#console-result').textContent()).resolves.toContain('Use a test key');
    expect(outside).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    // The page's CSP refuses injected scripts: audit with it bypassed.
    const { page } = await offlinePage({ bypassCSP: true });
    await page.waitForTimeout(1000);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      type Node = { target: string[]; any: Array<{ data?: { fgColor?: string; bgColor?: string } }> };
      const result = await (
        window as unknown as {
          axe: {
            run(
              node: unknown,
              options: object,
            ): Promise<{ violations: Array<{ id: string; impact: string; nodes: Node[] }> }>;
          };
        }
      ).axe.run(document, { resultTypes: ['violations'] });
      const colours = (nodes: Node[]) => [
        ...new Set(
          nodes.map((n) => n.any[0]?.data && `${n.any[0].data.fgColor} on ${n.any[0].data.bgColor}`).filter(Boolean),
        ),
      ];
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        count: v.nodes.length,
        first: v.nodes[0]?.target.join(' '),
        colours: colours(v.nodes),
      }));
    });
    console.log(`axe on /docs: ${JSON.stringify(violations)}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.context().close();
  }, 300_000);
});
