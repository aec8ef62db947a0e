import { spawn } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { simulatorDir, simulatorDll } from './global-setup';
import { apiAs, baseUrl, launchBrowser, newPage, pageProblems, screenshot, signIn, waitFor } from './support';

const DEMO_INTAKE_SECRET = 'whsec_ZGVtby1tZXJjaGFudC1pbnRha2Utc2VjcmV0LTEyMzQ1Ng==';

/** The simulator plays the demo storefront and posts one signed order webhook, as in `./orderflow demo`. */
function sendOneOrder(): Promise<void> {
  return new Promise((resolve, reject) => {
    const sender = spawn('dotnet', [simulatorDll, 'send-orders', '--server', baseUrl(), '--merchant', 'demo-shop', '--secret', DEMO_INTAKE_SECRET, '--count', '1', '--rate', '1'],
      { cwd: simulatorDir, stdio: 'ignore' });
    sender.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`send-orders exited with ${code}`))));
  });
}

type OrderSummary = { id: string; merchantOrderId: string; status: string; customerEmail: string };

describe('orders', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  afterAll(async () => browser?.close());
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('finds a shipped order by e-mail and shows its lines, suppliers, parcels and timeline', async () => {
    await sendOneOrder();
    const order = await waitFor('the order to ship', async () => {
      const items = (await apiAs('viewer', 'GET', '/api/orders?limit=5')).json.items as OrderSummary[];
      return items.find((o) => o.status === 'shipped' || o.status === 'delivered');
    }, 150);

    await signIn(page, 'viewer', '/orders');
    await page.getByLabel('Search orders').fill(order.customerEmail);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: order.merchantOrderId }).waitFor();
    await screenshot(page, 'orders');
    await page.getByRole('link', { name: order.merchantOrderId }).click();
    await page.waitForURL(`**/orders/${order.id}`);

    await expect.poll(() => page.getByTestId('order-status').textContent()).toMatch(/shipped|delivered/);
    const lines = page.locator('section.card', { has: page.getByRole('heading', { name: 'Lines' }) });
    expect(await lines.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await lines.getByText('not routed').count()).toBe(0);
    const parcels = page.locator('section.card', { has: page.getByRole('heading', { name: 'Parcels' }) });
    expect(await parcels.locator('.parcel').count()).toBeGreaterThan(0);
    await page.locator('.timeline li.tl-status').first().waitFor();
    await screenshot(page, 'order');

    await page.getByRole('link', { name: 'Workflow instance' }).click();
    await expect.poll(() => page.getByTestId('node-route').getAttribute('data-status')).toBe('completed');
    await expect.poll(() => page.locator('.react-flow__edge.followed, .react-flow__edge.followed-live').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'order-instance');

    // The shipped workflow file is laid out left to right; the designer arranges it top to bottom.
    await page.goto('/workflows/dropship-order');
    await page.getByTestId('node-hold').waitFor();
    const start = await page.getByTestId('node-start').boundingBox();
    const route = await page.getByTestId('node-route').boundingBox();
    expect(route!.y).toBeGreaterThan(start!.y);
    await screenshot(page, 'designer-dropship');
    expect(pageProblems(page)).toEqual([]);
  });
});
