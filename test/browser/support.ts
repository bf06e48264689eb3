import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";

/** Debian's Chromium (`.ci/run` installs it with apt-get when it is missing), or the Chromium-family browser `CHROMIUM_PATH` names (GitHub's runners ship Google Chrome). */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Flags for a quiet headless Chromium: without the background-networking ones it keeps calling Google services,
 * which on a closed network means a stream of failing connections. Playwright adds a fresh `--user-data-dir` (a new
 * temporary profile) to every launch.
 */
export const CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/** Where screenshots go: git-ignored, kept after the run so a person can look at them. */
export const RESULTS_DIR = path.resolve(__dirname, "..", "..", "test-results");

export async function launchChromium(): Promise<Browser> {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium), as .ci/run does`);
    }
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** What a page reported on its console and as page errors, CSP violations included. */
export interface PageProblems {
    errors: string[];
    cspViolations: string[];
    /** Responses Chromium logged as failed loads (4xx/5xx), as `STATUS /path`, for the tests to match. */
    failedLoads: string[];
}

/**
 * A new, isolated browser user (its own cookies and storage) whose page records every console error, uncaught
 * exception and CSP violation. The dev server's certificate is self-signed, so certificate errors are ignored.
 */
export async function newUser(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const problems: PageProblems = { errors: [], cspViolations: [], failedLoads: [] };
    const record = (message: ConsoleMessage) => {
        const text = message.text();
        const failed = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
        if (/Content[- ]Security[- ]Policy/i.test(text)) problems.cspViolations.push(text);
        else if (failed) problems.failedLoads.push(`${failed[1]} ${new URL(message.location().url).pathname}`);
        else if (message.type() === "error") problems.errors.push(text);
    };
    page.on("console", record);
    // Chromium logs a violation on the console; the DOM event catches any it might not (e.g. report-only ones).
    await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    page.on("pageerror", (error) => problems.errors.push(`${error.name}: ${error.message}`));
    return { context, page, problems };
}
