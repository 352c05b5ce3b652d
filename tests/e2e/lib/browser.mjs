/*
 * browser.mjs - Debian's chromium driven by playwright-core.
 *
 * Never downloads a browser: it always launches /usr/bin/chromium (or $CHROMIUM_BIN).
 * watchPage() records what a page did that a test may want to forbid: dialogs (alert,
 * confirm, prompt: proof of script injection), page errors and console errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { E2E_DIR } from './server.mjs';

export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');

export function launchBrowser() {
    return chromium.launch({
        executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
        headless: true,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
            '--disable-quic',
        ],
    });
}

/* Attach listeners; returns {dialogs, pageErrors, consoleErrors} filled as the page runs. */
export function watchPage(page) {
    const seen = { dialogs: [], pageErrors: [], consoleErrors: [] };
    page.on('dialog', async (d) => {
        seen.dialogs.push(`${d.type()}: ${d.message()} @ ${page.url()}`);
        await d.dismiss().catch(() => {});
    });
    page.on('pageerror', (e) => seen.pageErrors.push(`${e.message} @ ${page.url()}`));
    page.on('console', (m) => {
        if (m.type() === 'error') seen.consoleErrors.push(`${m.text()} @ ${page.url()}`);
    });
    return seen;
}

/* Copy the cookies of a Client (lib/client.mjs) into a browser context. */
export async function addClientCookies(context, client) {
    const cookies = [...client.jar].map(([name, value]) => ({ name, value, url: client.base }));
    if (cookies.length) await context.addCookies(cookies);
}

export function artifactPath(name) {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    return path.join(ARTIFACTS_DIR, name);
}
