import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { buildSite, IMMUTABLE, inlineCodeIn, REVALIDATE, SITE_DIR, siteBuild } from "../../components/site/build";

const HASHED = /^assets\/[a-z-]+-[A-Z0-9]{8}\.(js|css)$/;

describe("site build", () => {
    const build = siteBuild();
    const file = (p: string) => build.files.find((f) => f.path === p);
    const html = file("index.html")!.content;

    it("is index.html plus hashed assets, and the same bytes and names on every build", () => {
        assert.equal(build.files[0].path, "index.html");
        const assets = build.files.slice(1);
        assert.ok(assets.length >= 3, "the app, its stylesheet and the token worker");
        for (const asset of assets) assert.match(asset.path, HASHED);
        const again = buildSite();
        assert.equal(again.sha256, build.sha256);
        assert.deepEqual(again.files.map((f) => f.path), build.files.map((f) => f.path));
    });

    it("changes an asset's name when its content changes (the hash is of the content)", () => {
        const styles = build.files.find((f) => f.path.startsWith("assets/styles-"))!;
        // A copy of the site beside links to what it imports (node_modules, the handlers' shared types), so the
        // sources are never edited in place.
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "site-build-"));
        const copy = path.join(root, "site");
        try {
            fs.cpSync(SITE_DIR, copy, { recursive: true });
            for (const linked of ["node_modules", "handlers"]) fs.symlinkSync(path.join(SITE_DIR, "..", linked), path.join(root, linked), "dir");
            assert.equal(buildSite(copy).files.find((f) => f.path.startsWith("assets/styles-"))!.path, styles.path, "the copy builds the same names");
            fs.appendFileSync(path.join(copy, "src", "styles.css"), "\n.probe { color: red; }\n");
            const changed = buildSite(copy).files.find((f) => f.path.startsWith("assets/styles-"))!;
            assert.notEqual(changed.path, styles.path);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("references exactly the built script and stylesheet from index.html, and nothing of the sources", () => {
        const refs = [...html.matchAll(/\b(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1]).filter((r) => !r.startsWith("data:"));
        const app = build.files.find((f) => f.path.startsWith("assets/app-"))!;
        const styles = build.files.find((f) => f.path.startsWith("assets/styles-"))!;
        assert.deepEqual(refs.sort(), [app.path, styles.path].sort());
        assert.match(html, new RegExp(`<script type="module" src="${app.path}"></script>`));
        assert.doesNotMatch(html, /src\/main\.ts|src\/styles\.css/);
    });

    it("points auth0-spa-js at the token worker served from the site's own origin (no blob: worker for the CSP)", () => {
        const worker = build.files.find((f) => f.path.startsWith("assets/token-worker-"))!;
        const app = build.files.find((f) => f.path.startsWith("assets/app-"))!;
        assert.ok(app.content.includes(JSON.stringify(worker.path)), "the app names the worker's hashed path");
        assert.match(worker.content, /postMessage/);
    });

    it("has no inline script or style, no event-handler attributes and no eval: it runs under the distribution's CSP", () => {
        assert.deepEqual(inlineCodeIn(html), []);
        for (const f of build.files.filter((x) => x.path.endsWith(".js"))) {
            assert.doesNotMatch(f.content, /\beval\(|new Function\(/, `${f.path} needs 'unsafe-eval'`);
            // Setting style attributes from script would also be an inline style; classes and `hidden` are used.
            assert.doesNotMatch(f.content, /setAttribute\("style"|\.style\.cssText/, `${f.path} writes style attributes`);
        }
    });

    it("detects each kind of inline code the CSP blocks", () => {
        assert.deepEqual(inlineCodeIn('<script>alert(1)</script><script src="a.js"></script>'), ["inline script <script>"]);
        assert.deepEqual(inlineCodeIn("<style>p{}</style>"), ["a <style> element"]);
        assert.deepEqual(inlineCodeIn('<p style="color:red" onclick="x()">'), ["a style attribute", "a onclick attribute"]);
        assert.deepEqual(inlineCodeIn('<a href="javascript:void 0">'), ["a javascript: URL"]);
    });

    it("serves each file with its content type, index.html revalidated and hashed assets immutable", () => {
        const expected: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };
        for (const f of build.files) {
            assert.equal(f.contentType, expected[path.extname(f.path)], f.path);
            assert.equal(f.cacheControl, f.path === "index.html" ? REVALIDATE : IMMUTABLE, f.path);
        }
        assert.equal(REVALIDATE, "no-cache");
        assert.match(IMMUTABLE, /max-age=31536000/);
        assert.match(IMMUTABLE, /immutable/);
    });

    it("keeps the page's hooks: labelled fields, the named buttons, an alert region, the not-found text", () => {
        for (const [id, label] of [["subject", "Subject"], ["description", "Description"], ["priority", "Priority"]]) {
            assert.match(html, new RegExp(`<label for="${id}">${label}</label>`));
            assert.match(html, new RegExp(`id="${id}"`));
        }
        for (const name of ["Submit ticket", "Sign in", "Sign out"]) assert.match(html, new RegExp(`<button[^>]*>${name}</button>`));
        assert.match(html, /role="alert"/);
        assert.match(html, /Ticket not found/);
        assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
        assert.match(html, /<html lang="en">/);
    });

    it("bundles the page small enough for a phone: under 100 KB gzipped in all", () => {
        const total = build.files.reduce((sum, f) => sum + gzipSync(f.content).length, 0);
        assert.ok(total < 100 * 1024, `${total} bytes gzipped`);
    });
});
