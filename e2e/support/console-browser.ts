import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { DEMO_PASSWORD, gatewayUrl } from './gateway-client';

/** Chromium from the Debian package; no browser is ever downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Generous: every step after an action waits for Kafka hops between the services. */
export const UI_TIMEOUT = 30_000;

const SCREENSHOTS = path.resolve(__dirname, '../../.local/screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the background-networking flags chromium waits on a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP refusals seen so far: a test expects none. */
  problems: string[];
}

/** A fresh browser context (its own sessionStorage) signed in as a demo user. */
export async function signIn(browser: Browser, username: string): Promise<ConsoleSession> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  await page.goto(gatewayUrl('/'));
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Antd puts a space between the two characters of a two-character button (签 收): match both. */
export function label(text: string): RegExp {
  return new RegExp(`^\\s*${[...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*')}\\s*$`);
}

/**
 * Waits as a user would for an asynchronous change (a Kafka hop away): look, and if it is not
 * there yet, press the page's refresh and look again, until `UI_TIMEOUT`.
 */
export async function untilShown(what: string, look: () => Promise<boolean>, refresh: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT;
  while (Date.now() < deadline) {
    if (await look()) return;
    await refresh();
  }
  throw new Error(`${what} did not appear within ${UI_TIMEOUT / 1000} s`);
}

/** Whether the locator's element shows up within a couple of seconds. */
export function appears(locator: import('playwright-core').Locator, timeout = 2_000): Promise<boolean> {
  return locator.first().waitFor({ state: 'visible', timeout }).then(
    () => true,
    () => false,
  );
}

/**
 * Does `act` (a click that submits) and returns the API's answer to the request it sends, so a
 * refused or lost submission fails the test with what the API said instead of a silent timeout.
 */
export async function answerTo(page: Page, url: RegExp, act: () => Promise<void>): Promise<{ status: number; body: string }> {
  const [response] = await Promise.all([page.waitForResponse((r) => url.test(r.url()) && r.request().method() !== 'GET'), act()]);
  return { status: response.status(), body: await response.text() };
}
