import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { resultsDir, simulatorDir, simulatorDll } from './global-setup';
import { USERS, type UserName } from './users';

export const baseUrl = () => inject('baseUrl');
export const screenshotsDir = resolve(resultsDir, 'screenshots');

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: baseUrl() });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) problems.push(m.text()); });
  (page as Page & { problems: string[] }).problems = problems;
  return page;
}

/** Console errors and uncaught exceptions seen on the page (a CSP violation shows up here too). */
export const pageProblems = (page: Page): string[] => (page as Page & { problems?: string[] }).problems ?? [];

export async function signIn(page: Page, user: UserName, path = '/'): Promise<void> {
  const { password } = USERS.find((u) => u.name === user)!;
  await page.goto(path);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByTestId('current-user').textContent()).toContain(user);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: resolve(screenshotsDir, `${name}.png`) });
}

/** Calls the API as a script would (HTTP Basic), for arranging data and checking what the UI did. */
export async function apiAs(user: UserName, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const { password } = USERS.find((u) => u.name === user)!;
  const response = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const DEMO_INTAKE_SECRET = 'whsec_ZGVtby1tZXJjaGFudC1pbnRha2Utc2VjcmV0LTEyMzQ1Ng==';

/** The simulator plays the demo storefront and posts one signed order webhook, as in `./orderflow demo`. */
export function sendOneOrder(): Promise<void> {
  return new Promise((resolve, reject) => {
    const sender = spawn('dotnet', [simulatorDll, 'send-orders', '--server', baseUrl(), '--merchant', 'demo-shop', '--secret', DEMO_INTAKE_SECRET, '--count', '1', '--rate', '1'],
      { cwd: simulatorDir, stdio: 'ignore' });
    sender.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`send-orders exited with ${String(code)}`))));
  });
}
