import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildSite } from "../../components/site/build";
import { devToken, startDev, type RunningDev } from "../dev/support";
import { launchChromium, newUser, RESULTS_DIR, type PageProblems } from "./support";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const TICKET = { subject: "Invoice charged twice", description: "I was charged twice for my March invoice. Please refund the second charge." };

/** The customer's page on `npm run dev`, in Debian's Chromium: one browser for the suite, one context per user. */
describe("the site on npm run dev (Chromium)", function () {
    this.timeout(60_000);
    let site: string;
    let dev: RunningDev;
    let browser: Browser;
    const users: { context: BrowserContext; problems: PageProblems; name: string }[] = [];
    let aliceTicket: string;

    /** A new browser user who signs in through the local issuer's page with the mouse. */
    async function signedIn(name: string, options: { clock?: boolean } = {}): Promise<Page> {
        const user = await newUser(browser);
        users.push({ ...user, name });
        const { page } = user;
        if (options.clock) await page.clock.install();
        await page.goto(`${dev.origin}/`);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(/\/authorize\?/);
        await page.getByLabel("User name").fill(name);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.locator("#home").waitFor({ state: "visible" });
        return page;
    }

    async function fillTicket(page: Page, ticket: { subject: string; description: string }) {
        await page.getByLabel("Subject").fill(ticket.subject);
        await page.getByLabel("Description").fill(ticket.description);
    }

    before(async function () {
        this.timeout(120_000);
        site = fs.mkdtempSync(path.join(os.tmpdir(), "swiftsupport-site-"));
        for (const file of buildSite().files) {
            fs.mkdirSync(path.dirname(path.join(site, file.path)), { recursive: true });
            fs.writeFileSync(path.join(site, file.path), file.content);
        }
        [dev, browser] = await Promise.all([startDev(["--port", "0", "--site", site]), launchChromium()]);
    });

    after(async () => {
        await browser?.close();
        await dev?.stop();
        if (site) fs.rmSync(site, { recursive: true, force: true });
    });

    it("signs user A in through the local issuer; A submits a ticket and sees its analysis appear", async () => {
        const page = await signedIn("alice");
        await fillTicket(page, TICKET);
        await page.getByRole("button", { name: "Submit ticket" }).click();
        await page.waitForURL(new RegExp(`#/tickets/${UUID}$`));
        aliceTicket = /#\/tickets\/(.+)$/.exec(page.url())![1];
        await assertVisibleText(page, "#ticket-subject", TICKET.subject);
        await page.locator("#analysis-result").waitFor({ state: "visible" });
        assert.match((await page.locator("#analysis-category").textContent()) ?? "", /^billing$/i);
        fs.mkdirSync(RESULTS_DIR, { recursive: true });
        const shot = path.join(RESULTS_DIR, "submitted-ticket.png");
        await page.screenshot({ path: shot, fullPage: true });
        process.stdout.write(`      screenshot of the submitted ticket: ${shot}\n`);
    });

    it("shows user B not-found for A's ticket, because the API answers 404", async () => {
        assert.ok(aliceTicket, "needs the ticket of the previous test");
        const page = await signedIn("bob");
        const answer = page.waitForResponse((r) => r.url().endsWith(`/api/tickets/${aliceTicket}`));
        await page.goto(`${dev.origin}/#/tickets/${aliceTicket}`);
        assert.equal((await answer).status(), 404);
        await page.locator("#not-found").waitFor({ state: "visible" });
        assert.equal(await page.locator("#ticket").isVisible(), false);
        assert.doesNotMatch((await page.locator("main").innerText()), new RegExp(TICKET.subject));
    });

    it("refuses a request without a token", async () => {
        const page = users[0].context.pages()[0];
        const status = await page.evaluate(async (id) => (await fetch(`/api/tickets/${id}`)).status, aliceTicket);
        assert.equal(status, 401);
    });

    it("lets a keyboard-only user sign in and submit a ticket", async () => {
        const user = await newUser(browser);
        users.push({ ...user, name: "keyboard" });
        const { page } = user;
        await page.goto(`${dev.origin}/`);
        await page.locator("#signed-out").waitFor({ state: "visible" });
        await tabTo(page, "sign-in");
        await page.keyboard.press("Enter");
        await page.waitForURL(/\/authorize\?/);
        // The sign-in page focuses its one field.
        await page.keyboard.type("keyboard-user");
        await page.keyboard.press("Enter");
        await page.locator("#home").waitFor({ state: "visible" });
        await tabTo(page, "subject");
        await page.keyboard.type("Password reset email never arrives");
        await tabTo(page, "description");
        await page.keyboard.type("I asked for a password reset three times and no email came.");
        await tabTo(page, "submit");
        await page.keyboard.press("Enter");
        await page.waitForURL(new RegExp(`#/tickets/${UUID}$`));
        await assertVisibleText(page, "#ticket-subject", "Password reset email never arrives");
    });

    it("shows the API's message for an oversized and for a malformed submission", async () => {
        const page = users[0].context.pages()[0];
        await page.goto(`${dev.origin}/#/`);
        await page.locator("#home").waitFor({ state: "visible" });
        // 5,000 characters pass the page's own checks; as UTF-8 they are 15,000 bytes, over the API's 8 KiB.
        await fillTicket(page, { subject: "Too big", description: "€".repeat(5000) });
        await page.getByRole("button", { name: "Submit ticket" }).click();
        await assertVisibleText(page, "#alert", "The body must be at most 8192 bytes.");

        // A body the page would never send, as a broken proxy might deliver it.
        await page.route("**/api/tickets", (route) => (route.request().method() === "POST" ? route.continue({ postData: "{not json" }) : route.continue()));
        await fillTicket(page, TICKET);
        await page.getByRole("button", { name: "Submit ticket" }).click();
        await assertVisibleText(page, "#alert", "The body is not valid JSON.");
        await page.unroute("**/api/tickets");
    });

    it("sends a user whose token has expired to sign in", async () => {
        const page = await signedIn("carol", { clock: true });
        // Two minutes later (past the page's guard against sign-in loops right after a sign-in)...
        await page.clock.fastForward(120_000);
        const expired = await devToken(dev.origin, "carol", -120);
        // ...the token the page holds has expired by the time the API checks it.
        await page.route("**/api/tickets", (route) => route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${expired}` } }));
        await fillTicket(page, TICKET);
        await page.getByRole("button", { name: "Submit ticket" }).click();
        await page.waitForURL(/\/authorize\?/);
        await page.getByLabel("User name").waitFor({ state: "visible" });
    });

    it("logs no error and no CSP violation on any page of any user; the only failed loads are the refusals the tests provoked", () => {
        const provoked: Record<string, string[]> = {
            alice: [`401 /api/tickets/${aliceTicket}`, "413 /api/tickets", "400 /api/tickets"],
            bob: [`404 /api/tickets/${aliceTicket}`],
            keyboard: [],
            carol: ["401 /api/tickets"],
        };
        assert.deepEqual(users.map((u) => u.name), Object.keys(provoked));
        for (const { name, problems } of users) {
            assert.deepEqual(problems.cspViolations, [], `${name}: CSP violations`);
            assert.deepEqual(problems.errors, [], `${name}: console errors`);
            assert.deepEqual(problems.failedLoads, provoked[name], `${name}: failed loads`);
        }
    });

});

/** Presses Tab until the element with `id` has the focus (keyboard only, as a person would). */
async function tabTo(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 20; i++) {
        if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
        await page.keyboard.press("Tab");
    }
    throw new Error(`Tab never reached #${id}`);
}

async function assertVisibleText(page: Page, selector: string, text: string): Promise<void> {
    const locator = page.locator(selector);
    await locator.filter({ hasText: text }).waitFor({ state: "visible", timeout: 10_000 });
}
