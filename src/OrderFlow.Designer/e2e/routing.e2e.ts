import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiAs, launchBrowser, newPage, pageProblems, screenshot, signIn } from './support';

type Rule = { name: string; filter: { countries: string[] | null }; fallback: string };

describe('routing rules', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  afterAll(async () => {
    await apiAs('editor', 'PUT', '/api/merchants/demo-shop/routing-rules', []);
    await browser?.close();
  });
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('shows the server’s error on the field at fault, saves once it is fixed, and previews with the saved rule', async () => {
    await signIn(page, 'editor', '/merchants');
    await page.getByRole('row', { name: /demo-shop/ }).getByRole('link', { name: 'Routing rules' }).click();
    await page.getByRole('heading', { name: 'Routing rules' }).waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByTestId('rule-0');
    await rule.getByLabel('name of rule 1').fill('EU mugs');
    await rule.getByLabel('countries of rule 1').fill('Germany');
    await rule.getByLabel('fallback of rule 1').selectOption('hold');
    await page.getByRole('button', { name: 'Save rules' }).click();

    await page.getByRole('alert').filter({ hasText: 'Not saved: 1 problem' }).waitFor();
    const countries = rule.getByLabel('countries of rule 1');
    expect(await countries.getAttribute('aria-invalid')).toBe('true');
    expect(await rule.locator('.field-error').textContent()).toContain('two-letter');
    await screenshot(page, 'routing-rules-error');
    expect((await apiAs('viewer', 'GET', '/api/merchants/demo-shop/routing-rules')).json).toEqual([]);

    await countries.fill('DE, AT');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved 1 rule' }).waitFor();
    expect(await rule.locator('.field-error').count()).toBe(0);
    const saved = (await apiAs('viewer', 'GET', '/api/merchants/demo-shop/routing-rules')).json as Rule[];
    expect(saved).toMatchObject([{ name: 'EU mugs', filter: { countries: ['DE', 'AT'] }, fallback: 'hold' }]);

    await page.getByLabel('Preview lines').fill('MUG-BLUE x2 @ 12.50');
    await page.getByRole('button', { name: 'Preview routing' }).click();
    await expect.poll(() => page.getByTestId('routing-plan').textContent()).toContain('EU mugs');
    await page.getByLabel('Preview country').fill('US');
    await page.getByRole('button', { name: 'Preview routing' }).click();
    await expect.poll(() => page.getByTestId('routing-plan').textContent()).not.toContain('EU mugs');
    await page.getByLabel('Preview country').fill('DE');
    await page.getByRole('button', { name: 'Preview routing' }).click();
    await expect.poll(() => page.getByTestId('routing-plan').textContent()).toContain('EU mugs');
    await screenshot(page, 'routing-rules');
    expect(pageProblems(page)).toEqual([]);
  });

  it('shows a viewer the rules in words, without edit controls, and the API refuses the viewer', async () => {
    const viewer = await newPage(browser);
    await signIn(viewer, 'viewer', '/merchants/demo-shop/routing');
    await viewer.getByRole('heading', { name: 'Routing rules' }).waitFor();
    await viewer.getByTestId('rule-0').waitFor();
    expect(await viewer.getByRole('button', { name: 'Save rules' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Add rule' }).count()).toBe(0);
    expect(await viewer.getByTestId('rule-0').locator('input, select').count()).toBe(0);
    expect(await viewer.getByTestId('rule-0').textContent()).toContain('Orders to DE, AT');
    await screenshot(viewer, 'routing-rules-viewer');
    expect((await apiAs('viewer', 'PUT', '/api/merchants/demo-shop/routing-rules', [])).status).toBe(403);
    await viewer.close();
  });
});
