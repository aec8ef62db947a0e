import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiAs, launchBrowser, newPage, pageProblems, screenshot, sendOneOrder, signIn, waitFor } from './support';

type Received = { headers: IncomingHttpHeaders; body: string };

/** A storefront endpoint that takes every webhook (204) and keeps what it got. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks`, received };
}

/** Standard Webhooks: v1 = base64 HMAC-SHA256 over "id.timestamp.body", keyed with the secret after whsec_. */
function signatureValid(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`).digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe('webhook subscriptions', () => {
  let browser: Browser;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await browser?.close();
    receiver?.server.close();
  });
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('creates a subscription, shows its secret once, and shows and replays its deliveries', async () => {
    await signIn(page, 'admin', '/merchants');
    await page.getByRole('row', { name: /demo-shop/ }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhook subscriptions' }).waitFor();
    await page.getByText('New subscription').click();
    await page.getByLabel('Endpoint URL').fill('ftp://nowhere');
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.locator('.create-card .field-error').waitFor();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('Description').fill('e2e storefront');
    await page.getByLabel('order.received').check();
    await page.getByRole('button', { name: 'Create subscription' }).click();

    const secret = (await page.getByTestId('new-secret').textContent())!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    expect(await page.getByTestId('subscription-secret').textContent()).toContain('shown only now');
    await screenshot(page, 'webhooks-secret');
    const subscriptions = (await apiAs('viewer', 'GET', '/api/merchants/demo-shop/subscriptions')).json as { id: string; url: string }[];
    const created = subscriptions.find((s) => s.url === receiver.url)!;
    expect(JSON.stringify(subscriptions)).not.toContain(secret);

    // Shown once: after a reload the secret is gone for good.
    await page.reload();
    await page.getByRole('heading', { name: 'Webhook subscriptions' }).waitFor();
    expect(await page.getByTestId('subscription-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await sendOneOrder();
    const first = await waitFor('the order.received webhook', async () => receiver.received[0], 60);
    expect(signatureValid(secret, first)).toBe(true);
    expect(JSON.parse(first.body).type).toBe('order.received');

    await page.goto(`/merchants/demo-shop/webhooks?subscription=${created.id}`);
    const row = page.getByTestId('delivery-row').first();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/order\.received.*delivered.*204/);
    await screenshot(page, 'webhooks');

    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: 'queued again' }).waitFor();
    const again = await waitFor('the replayed webhook', async () => receiver.received[1], 60);
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(signatureValid(secret, again)).toBe(true);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('replayed ×1');

    const subscriptionRow = page.getByTestId('subscription-row').filter({ hasText: receiver.url });
    await subscriptionRow.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => subscriptionRow.textContent()).toContain('disabled');
    await subscriptionRow.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => subscriptionRow.textContent()).toContain('active');
    expect(pageProblems(page)).toEqual([]);
  });

  it('shows a viewer the subscriptions and deliveries without edit, replay or delete controls', async () => {
    const viewer = await newPage(browser);
    await signIn(viewer, 'viewer', '/merchants/demo-shop/webhooks');
    await viewer.getByTestId('subscription-row').first().waitFor();
    expect(await viewer.getByText('New subscription').count()).toBe(0);
    for (const name of ['Edit', 'Disable', 'Delete', 'Replay', 'Replay since']) {
      expect(await viewer.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    await viewer.close();
  });
});
