import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiAs, launchBrowser, newPage, screenshot, signIn, waitFor } from './support';

const WORKFLOW = 'e2e-held-orders';

const heldWorkflow = {
  id: WORKFLOW,
  name: 'Hold for review',
  activities: [
    { id: 'start', type: 'Start', position: { x: 0, y: 0 } },
    { id: 'review', type: 'Fault', inputs: { message: 'Address looks incomplete: hold for review' }, position: { x: 0, y: 160 } },
    { id: 'end', type: 'End', position: { x: 0, y: 320 } },
  ],
  connections: [
    { source: 'start', outcome: 'Done', target: 'review' },
    { source: 'review', outcome: 'Done', target: 'end' },
  ],
};

type Incident = { id: string; instanceId: string; correlationId: string };

const openIncidentFor = (order: string) => async () =>
  ((await apiAs('viewer', 'GET', '/api/incidents')).json as Incident[]).find((i) => i.correlationId === order);

describe('incidents', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    expect((await apiAs('admin', 'POST', `/api/workflow-definitions/${WORKFLOW}/publish`, heldWorkflow)).status).toBe(200);
  });
  afterAll(async () => browser?.close());
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('retries and then skips an incident, each journaled with who did it', async () => {
    const started = await apiAs('admin', 'POST', `/api/workflow-definitions/${WORKFLOW}/instances`, { input: { order: { id: 'order-4711' } }, correlationId: 'order-4711' });
    expect(started.status).toBe(201);
    const first = await waitFor('the incident', openIncidentFor('order-4711'));

    await signIn(page, 'editor', '/incidents');
    const row = page.getByTestId(`incident-${first.id}`);
    await row.getByText('Address looks incomplete').waitFor();
    await screenshot(page, 'incidents');
    await row.getByRole('button', { name: 'Retry' }).click();

    // The hold fires again on retry: a new incident replaces the old one.
    const second = await waitFor('the incident after retry', async () => {
      const open = await openIncidentFor('order-4711')();
      return open && open.id !== first.id ? open : undefined;
    });
    const journal = (await apiAs('viewer', 'GET', `/api/workflow-instances/${first.instanceId}/journal`)).json as { event: string; actor: string | null }[];
    expect(journal.find((e) => e.event === 'IncidentRetried')?.actor).toBe('ops:editor');

    await page.goto(`/instances/${first.instanceId}`);
    await expect.poll(() => page.getByTestId('node-review').getAttribute('data-status')).toBe('faulted');
    await screenshot(page, 'instance-incident');
    await page.getByLabel('Outcome to skip review with').selectOption('Done');
    await page.getByRole('button', { name: 'Skip' }).click();

    await expect.poll(() => page.getByTestId('instance-status').textContent(), { timeout: 30_000 }).toBe('Completed');
    await expect.poll(() => page.getByTestId('node-end').getAttribute('data-status')).toBe('completed');
    const after = (await apiAs('viewer', 'GET', `/api/workflow-instances/${second.instanceId}/journal`)).json as { event: string; actor: string | null; outcomes: string[] | null }[];
    expect(after.find((e) => e.event === 'IncidentSkipped')).toMatchObject({ actor: 'ops:editor', outcomes: ['Done'] });
  });

  it('cancels a held order from the incident list, after asking', async () => {
    await apiAs('admin', 'POST', `/api/workflow-definitions/${WORKFLOW}/instances`, { input: {}, correlationId: 'order-4712' });
    const incident = await waitFor('the incident', openIncidentFor('order-4712'));

    await page.goto('/incidents');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId(`incident-${incident.id}`).getByRole('button', { name: 'Cancel' }).click();

    const instance = await waitFor('the cancellation', async () => {
      const found = (await apiAs('viewer', 'GET', `/api/workflow-instances/${incident.instanceId}`)).json as { status: string };
      return found.status === 'Cancelled' ? found : undefined;
    });
    expect(instance.status).toBe('Cancelled');
    const journal = (await apiAs('viewer', 'GET', `/api/workflow-instances/${incident.instanceId}/journal`)).json as { event: string; actor: string | null }[];
    expect(journal.find((e) => e.event === 'Cancelled')?.actor).toBe('ops:editor');
    await expect.poll(() => page.getByTestId(`incident-${incident.id}`).count()).toBe(0);
  });
});

describe('viewer', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  afterAll(async () => browser?.close());
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('sees the workflow but no palette and no publish, and the API refuses the viewer too', async () => {
    await signIn(page, 'viewer', `/workflows/${WORKFLOW}`);
    await page.getByTestId('node-review').waitFor();

    expect(await page.locator('.palette').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    expect(await page.getByText('Read only').count()).toBe(1);
    expect(await page.locator('a[href="/hangfire"]').count()).toBe(0);

    const refused = await page.evaluate(async (workflow) => {
      const token = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))!.slice('XSRF-TOKEN='.length));
      const response = await fetch(`/api/workflow-definitions/${workflow.id}/publish`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': token },
        body: JSON.stringify(workflow),
      });
      return response.status;
    }, heldWorkflow);
    expect(refused).toBe(403);
    await screenshot(page, 'viewer-designer');

    await page.goto('/merchants');
    await page.getByText('demo-shop', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Add merchant' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rotate secret' }).count()).toBe(0);
  });
});

describe('merchants', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  afterAll(async () => browser?.close());
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('lets an admin add a merchant, see its secret once, and rotate it', async () => {
    await signIn(page, 'admin', '/merchants');
    await page.getByLabel('Merchant id').fill('e2e-shop');
    await page.getByLabel('Merchant name').fill('E2E Shop');
    await page.getByRole('button', { name: 'Add merchant' }).click();
    await expect.poll(() => page.getByTestId('new-secret').textContent()).toMatch(/^whsec_/);
    const first = await page.getByTestId('new-secret').textContent();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('row', { name: /e2e-shop/ }).getByRole('button', { name: 'Rotate secret' }).click();
    await expect.poll(() => page.getByTestId('new-secret').textContent()).not.toBe(first);
    await expect.poll(() => page.getByRole('row', { name: /e2e-shop/ }).locator('.badge').count()).toBe(2);
    await screenshot(page, 'merchants');

    const listed = (await apiAs('viewer', 'GET', '/api/merchants')).json as { id: string; secrets: unknown[] }[];
    expect(listed.find((m) => m.id === 'e2e-shop')?.secrets).toHaveLength(2);
  });
});
