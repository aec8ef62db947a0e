import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiAs, launchBrowser, newPage, pageProblems, screenshot, signIn } from './support';

const WORKFLOW = 'e2e-big-orders';

async function dragFromPalette(page: Page, type: string, x: number, y: number) {
  const pane = page.locator('.canvas .react-flow__pane');
  await page.locator(`.palette-item[data-type="${type}"]`).dragTo(pane, { targetPosition: { x, y } });
}

async function connect(page: Page, source: string, outcome: string, target: string) {
  await page.locator(`[data-testid="node-${source}"] .react-flow__handle[data-handleid="${outcome}"]`)
    .dragTo(page.locator(`[data-testid="node-${target}"] .react-flow__handle[data-handleid="in"]`));
  await page.locator(`.react-flow__edge[aria-label="${source} ${outcome} to ${target}"]`).waitFor();
}

describe('designer', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  afterAll(async () => browser?.close());
  beforeEach((context) => onTestFailed(() => screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`)));

  it('builds a workflow from the palette, fixes a validation error and publishes it', async () => {
    await signIn(page, 'editor', `/workflows/${WORKFLOW}`);
    await page.getByTestId('node-start').waitFor();

    await dragFromPalette(page, 'If', 350, 560);
    await dragFromPalette(page, 'End', 200, 740);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);

    // Undo removes the last drop, redo brings it back.
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);

    // Copy and paste an activity, then undo the paste.
    await page.getByTestId('node-end').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-end2').waitFor();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);

    await connect(page, 'start', 'Done', 'if');
    await connect(page, 'if', 'True', 'end');

    // "+" on an outcome: search the next activity, Enter adds it already connected.
    await page.getByRole('button', { name: 'Add after if False' }).click();
    await page.getByLabel('Search the next activity').fill('end');
    await screenshot(page, 'designer-quick-add');
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__edge[aria-label="if False to end2"]').waitFor();

    // Palette by keyboard: search, Enter adds the best match; Delete removes the selected activity.
    await page.getByLabel('Search activities').fill('set var');
    await page.keyboard.press('Enter');
    await page.getByTestId('node-setVariable').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('node-setVariable').count()).toBe(0);

    // A second connection from the same outcome is refused while dragging.
    await page.locator('[data-testid="node-if"] .react-flow__handle[data-handleid="True"]')
      .dragTo(page.locator('[data-testid="node-end2"] .react-flow__handle[data-handleid="in"]'));
    await page.getByText("Outcome 'True' of 'if' is already connected").waitFor();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);

    // Declare the order variable the condition reads; the expression editor then offers its fields.
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
    await page.locator('.properties .cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('{"order": {"total": 0, "country": "NL"}}');

    // The server's validator flags the missing condition as soon as the If is on the canvas.
    await page.getByTestId('node-if').click();
    const condition = page.locator('[data-field="condition"]');
    await expect.poll(() => condition.locator('.field-error').textContent()).toContain('required');
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('1 problem');
    await expect.poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);

    // An expression that does not parse is reported while typing, with completion of the order fields in scope.
    await condition.locator('.cm-content').click();
    await page.keyboard.type('variables.order.to');
    await page.locator('.cm-tooltip-autocomplete').getByText('variables.order.total').waitFor();
    await page.waitForTimeout(150); // CodeMirror accepts a completion with Enter only once it has been open a moment
    await page.keyboard.press('Enter');
    await page.keyboard.type(' >');
    await expect.poll(() => condition.locator('.field-error').textContent()).toContain('does not parse');
    await screenshot(page, 'designer-validation');
    await page.keyboard.type(' 100');
    await expect.poll(() => condition.locator('.field-error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('Valid');

    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published version 1.').waitFor();
    await screenshot(page, 'designer');

    const published = await apiAs('viewer', 'GET', `/api/workflow-definitions/${WORKFLOW}/versions/1`);
    expect(published.json.activities.find((a: { id: string }) => a.id === 'if').inputs.condition).toEqual({ $js: 'variables.order.total > 100' });
    expect(published.json.connections).toHaveLength(3);
  });

  it('sends an order through the published workflow and highlights the path it took', async () => {
    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('button', { name: 'Start instance' }).click();
    await page.waitForURL(/\/instances\/[0-9a-f-]{36}$/);

    await expect.poll(() => page.getByTestId('instance-status').textContent(), { timeout: 30_000 }).toBe('Completed');
    await expect.poll(() => page.getByTestId('node-end').getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('node-if').getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('node-end2').getAttribute('data-status')).toBe('');
    await expect.poll(() => page.locator('.react-flow__edge.followed').count()).toBe(2);

    await page.getByTestId('node-if').click();
    const panel = page.getByRole('complementary', { name: 'Journal of if' });
    await panel.locator('[data-event="Completed"]').getByText('→ True').waitFor();
    await screenshot(page, 'instance');
    expect(pageProblems(page)).toEqual([]);
  });

  it('shows what changed between two versions', async () => {
    const v1 = (await apiAs('viewer', 'GET', `/api/workflow-definitions/${WORKFLOW}/versions/1`)).json;
    const v2 = {
      ...v1,
      activities: [...v1.activities.filter((a: { id: string }) => a.id !== 'end2'), { id: 'hold', type: 'Fault', inputs: { message: 'Small order, check by hand' }, position: { x: 500, y: 400 } }],
      connections: [...v1.connections.filter((c: { target: string }) => c.target !== 'end2'), { source: 'if', outcome: 'False', target: 'hold' }],
    };
    expect((await apiAs('editor', 'POST', `/api/workflow-definitions/${WORKFLOW}/publish`, v2)).status).toBe(200);

    await page.goto(`/workflows/${WORKFLOW}/diff?from=1&to=2`);

    await expect.poll(() => page.getByTestId('diff-summary').textContent()).toBe('1 added, 1 removed, 1 changed; 1 connections added, 1 removed');
    expect(await page.getByTestId('node-hold').getAttribute('data-change')).toBe('added');
    expect(await page.getByTestId('node-end2').getAttribute('data-change')).toBe('removed');
    expect(await page.getByTestId('node-if').getAttribute('data-change')).toBe('changed');
    await screenshot(page, 'version-diff');
  });

  it('gives a Switch one outcome handle per case, and a retry policy of its own', async () => {
    await page.goto('/workflows/e2e-switch');
    await page.getByTestId('node-start').waitFor();
    await page.getByLabel('Search activities').fill('switch');
    await page.keyboard.press('Enter');
    await page.getByTestId('node-switch').click();

    await page.getByRole('button', { name: 'Add case' }).click();
    await page.getByRole('button', { name: 'Add case' }).click();
    await page.getByLabel('Case 1 outcome').fill('Express');
    const handles = () => page.locator('[data-testid="node-switch"] .react-flow__handle.source').evaluateAll((els) => els.map((e) => e.getAttribute('data-handleid')));
    await expect.poll(handles).toEqual(['Express', 'Case2', 'Default']);

    await page.getByText('Retry policy').click();
    await page.getByLabel('Retry Attempts').fill('5');
    await screenshot(page, 'designer-switch');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved', { exact: false }).waitFor();

    const draft = (await apiAs('viewer', 'GET', '/api/workflow-definitions/e2e-switch/draft')).json;
    const saved = draft.activities.find((a: { id: string }) => a.id === 'switch');
    expect(saved.inputs.cases.map((c: { name: string }) => c.name)).toEqual(['Express', 'Case2']);
    expect(saved.retry).toEqual({ maxAttempts: 5, initialDelaySeconds: 2, maxDelaySeconds: 300, jitter: 0.2 });
  });
});
