import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiAs, launchBrowser, newPage, pageProblems, screenshot, signIn } from './support';

type Supplier = { id: string; priority: number; hasCredentials: boolean } & Record<string, unknown>;

describe('suppliers', () => {
  let browser: Browser;
  let page: Page;
  let original: Supplier;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    original = (await apiAs('viewer', 'GET', '/api/suppliers/acme')).json as Supplier;
  });
  afterAll(async () => {
    // Routing in the other tests expects the demo priorities; credentials left out are kept.
    await apiAs('admin', 'PUT', '/api/suppliers/acme', { ...original, credentials: null, callbackSecret: null });
    await browser?.close();
  });
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('lists suppliers with their health, and edits one with the server’s field error shown and credentials kept', async () => {
    await signIn(page, 'admin', '/suppliers');
    const acme = page.getByTestId('supplier-acme');
    await expect.poll(() => acme.locator('.status-pill').textContent(), { timeout: 60_000 }).toBe('healthy');
    expect(await acme.textContent()).toContain('orderflow');
    expect(await acme.textContent()).toContain('api key: set');
    await screenshot(page, 'suppliers');

    await acme.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('credentials').inputValue()).toBe('');
    await dialog.getByLabel('priority').fill('-5');
    await dialog.getByRole('button', { name: 'Save supplier' }).click();
    await dialog.locator('.field-error').filter({ hasText: '0 to 10000' }).waitFor();
    expect(await dialog.getByLabel('priority').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'suppliers-edit-error');

    await dialog.getByLabel('priority').fill('15');
    await dialog.getByRole('button', { name: 'Save supplier' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => acme.locator('td').first().textContent()).toBe('15');
    const saved = (await apiAs('viewer', 'GET', '/api/suppliers/acme')).json as Supplier;
    expect(saved.priority).toBe(15);
    expect(saved.hasCredentials).toBe(true);
    expect(JSON.stringify(saved)).not.toMatch(/apiKey|credentials"/);
    expect(pageProblems(page)).toEqual([]);
  });

  it('shows a viewer the suppliers without add or edit controls', async () => {
    const viewer = await newPage(browser);
    await signIn(viewer, 'viewer', '/suppliers');
    await viewer.getByTestId('supplier-acme').waitFor();
    expect(await viewer.getByRole('button', { name: 'Add supplier' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await viewer.close();
  });
});
