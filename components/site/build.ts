import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildSync, type BuildOptions, type Metafile } from "esbuild";

/** The customer page's sources: `index.html` and `src/` (its own tsconfig: DOM, no Node). */
export const SITE_DIR = path.resolve(__dirname, "..", "..", "site");

/** Where the built assets go, relative to the site root; their names carry a content hash. */
const ASSETS = "assets";

/** Cache-Control of files that may change under the same name (they are revalidated on every use). */
export const REVALIDATE = "no-cache";
/** Cache-Control of hashed assets: a new build gives a new name, so a name's content never changes. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const CONTENT_TYPES: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    // RFC 8259 defines no charset parameter for JSON: it is UTF-8.
    ".json": "application/json",
};

/** One file of the built site, as it is uploaded and served. */
export interface SiteFile {
    /** Path below the site root, `/`-separated (the S3 key). */
    readonly path: string;
    readonly content: string;
    readonly contentType: string;
    readonly cacheControl: string;
}

/** The built site: `index.html` first, then the hashed assets, sorted. */
export interface SiteBuild {
    readonly files: readonly SiteFile[];
    /** Hex SHA-256 over every path and content: equal across program runs when the sources are. */
    readonly sha256: string;
}

/** The Content-Type a site file is served with; a file of another kind is a build bug. */
export function contentTypeOf(file: string): string {
    const type = CONTENT_TYPES[path.extname(file)];
    if (!type) throw new Error(`no content type for ${file}: the site serves only ${Object.keys(CONTENT_TYPES).join(", ")}`);
    return type;
}

/** A file of the build, typed and cached by its kind: index.html and config.json revalidate, hashed assets never. */
export function siteFile(filePath: string, content: string): SiteFile {
    return { path: filePath, content, contentType: contentTypeOf(filePath), cacheControl: filePath.startsWith(`${ASSETS}/`) ? IMMUTABLE : REVALIDATE };
}

/** A virtual output folder inside the site's: nothing is written, output paths are taken relative to it. */
const OUT_DIR = ".out";

/** What the browser runs, for every build below: evergreen browsers, no Node polyfills, no source maps. */
const COMMON: BuildOptions = {
    bundle: true,
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    // Third-party licence comments stay, at the end of each file.
    legalComments: "eof",
    entryNames: `${ASSETS}/[name]-[hash]`,
    write: false,
    metafile: true,
    logLevel: "silent",
};

/** Each output of a build by the entry point it came from, relative to the site root. */
function outputsByEntry(siteDir: string, metafile: Metafile, outputFiles: { path: string; text: string }[]): Map<string, SiteFile> {
    const byEntry = new Map<string, SiteFile>();
    for (const [output, meta] of Object.entries(metafile.outputs)) {
        if (!meta.entryPoint) continue;
        const absolute = path.resolve(siteDir, output);
        const file = outputFiles.find((f) => f.path === absolute);
        if (!file) throw new Error(`esbuild reported ${output} but returned no such file`);
        byEntry.set(meta.entryPoint, siteFile(path.relative(path.join(siteDir, OUT_DIR), absolute).split(path.sep).join("/"), file.text));
    }
    return byEntry;
}

/**
 * Markup the site's Content-Security-Policy (no 'unsafe-inline') would block: inline scripts, style elements and
 * attributes, inline event handlers and `javascript:` URLs. The build refuses them rather than ship a page that
 * breaks behind the distribution.
 */
export function inlineCodeIn(html: string): string[] {
    const found: string[] = [];
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) if (!/\bsrc\s*=/i.test(tag)) found.push(`inline script ${tag}`);
    if (/<style\b/i.test(html)) found.push("a <style> element");
    for (const attr of html.match(/\s(style|on[a-z]+)\s*=/gi) ?? []) found.push(`a ${attr.trim().replace(/\s*=$/, "")} attribute`);
    if (/javascript:/i.test(html)) found.push("a javascript: URL");
    return found;
}

/**
 * Builds the site with esbuild, without caching: the one build both the program (the objects it uploads) and
 * `npm run build:site` use. auth0-spa-js's token worker becomes a hashed asset of this origin (its `workerUrl`), so
 * the CSP needs no `blob:` worker source; the page's script and stylesheet are bundled and hashed, and index.html's
 * references to `src/main.ts` and `src/styles.css` are rewritten to them. Deterministic: the same sources give the
 * same names and bytes.
 */
export function buildSite(siteDir: string = SITE_DIR): SiteBuild {
    const dirs = { absWorkingDir: siteDir, outdir: path.join(siteDir, OUT_DIR) };
    const worker = buildSync({
        ...COMMON,
        ...dirs,
        entryPoints: { "token-worker": require.resolve("@auth0/auth0-spa-js/dist/auth0-spa-js.worker.production.js") },
        format: "iife",
    });
    const [workerFile] = outputsByEntry(siteDir, worker.metafile!, worker.outputFiles!).values();

    const app = buildSync({
        ...COMMON,
        ...dirs,
        entryPoints: { app: "src/main.ts", styles: "src/styles.css" },
        format: "esm",
        tsconfig: path.join(siteDir, "tsconfig.json"),
        define: { TOKEN_WORKER_URL: JSON.stringify(workerFile.path) },
    });
    const entries = outputsByEntry(siteDir, app.metafile!, app.outputFiles!);
    const references: Record<string, SiteFile | undefined> = { "src/main.ts": entries.get("src/main.ts"), "src/styles.css": entries.get("src/styles.css") };

    const template = fs.readFileSync(path.join(siteDir, "index.html"), "utf8");
    const html = template.replace(/\b(src|href)="(src\/[^"]+)"/g, (whole, attr: string, ref: string) => {
        const target = references[ref];
        if (!target) throw new Error(`site/index.html refers to ${ref}, which the build does not produce (it builds ${Object.keys(references).join(", ")})`);
        return `${attr}="${target.path}"`;
    });
    const inline = inlineCodeIn(html);
    if (inline.length > 0) throw new Error(`site/index.html has code the Content-Security-Policy blocks: ${inline.join(", ")}`);

    const assets = [workerFile, ...entries.values()].sort((a, b) => a.path.localeCompare(b.path));
    const files = [siteFile("index.html", html), ...assets];
    const hash = createHash("sha256");
    for (const f of files) hash.update(`${f.path}\0${f.content}\0`);
    return { files, sha256: hash.digest("hex") };
}

let cached: SiteBuild | undefined;

/** Builds the site once per process: the plan, the tests and the benchmarks run the program many times. */
export function siteBuild(): SiteBuild {
    cached ??= buildSite();
    return cached;
}
