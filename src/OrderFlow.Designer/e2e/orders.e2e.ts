import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiAs, launchBrowser, newPage, pageProblems, screenshot, sendOneOrder, signIn, waitFor } from './support';

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

    // Search by tracking number, then narrow by status, supplier and age: each filter goes to the server.
    const details = (await apiAs('viewer', 'GET', `/api/orders/${order.id}`)).json as { parcels: { trackingNumber: string }[]; lines: { supplierId: string | null }[] };
    await page.getByLabel('Search orders').fill(details.parcels[0]!.trackingNumber);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: order.merchantOrderId }).waitFor();
    expect(await page.locator('table.table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: /^cancelled/ }).click();
    await page.getByText('No orders match.').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('link', { name: order.merchantOrderId }).waitFor();
    await page.getByLabel('Supplier').fill('no-such-supplier');
    await page.getByLabel('Supplier').blur();
    await page.getByText('No orders match.').waitFor();
    expect(page.url()).toContain('supplier=no-such-supplier');
    await page.getByLabel('Supplier').fill(details.lines[0]!.supplierId!);
    await page.getByLabel('Supplier').blur();
    await page.getByRole('link', { name: order.merchantOrderId }).waitFor();
    await page.getByLabel('Age').selectOption({ label: 'Older than 1 day' });
    await page.getByText('No orders match.').waitFor();
    await page.getByLabel('Age').selectOption({ label: 'Any age' });
    await page.getByRole('link', { name: order.merchantOrderId }).waitFor();
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
