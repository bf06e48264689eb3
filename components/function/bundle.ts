import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";

/** Where the handlers live: one entry file per function, `handlers/<name>.ts`. */
export const HANDLERS_DIR = path.resolve(__dirname, "..", "..", "handlers");

/** A handler bundled for Lambda. */
export interface HandlerBundle {
    /** The handler's name (its file under `handlers/`, without `.ts`). */
    readonly name: string;
    /** The bundled JavaScript, deployed as `index.js` (entry `index.handler`). */
    readonly code: string;
    /** Hex SHA-256 of `code`: equal across program runs when the sources are. */
    readonly sha256: string;
    /** The deployment package. */
    readonly archive: pulumi.asset.AssetArchive;
}

const HANDLER_NAME = /^[a-z][A-Za-z0-9]*$/;

/** True when `handlers/<name>.ts` exists and the name is a plain identifier (no paths). */
export function handlerExists(name: string): boolean {
    return HANDLER_NAME.test(name) && fs.existsSync(path.join(HANDLERS_DIR, `${name}.ts`));
}

/**
 * Bundles `handlers/<name>.ts` without caching. The options match the deployed build the handler size test checks:
 * Node 22 CommonJS, minified, no source map or legal comments (nothing that would embed a local path), and
 * `@aws-sdk/*` left external because the nodejs22.x runtime ships SDK v3.
 */
export function buildHandler(name: string): HandlerBundle {
    if (!handlerExists(name)) throw new Error(`no handler "${name}": expected ${path.join(HANDLERS_DIR, `${name}.ts`)}`);
    const result = buildSync({
        entryPoints: [path.join(HANDLERS_DIR, `${name}.ts`)],
        absWorkingDir: HANDLERS_DIR,
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: true,
        sourcemap: false,
        legalComments: "none",
        external: ["@aws-sdk/*"],
        write: false,
        logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    return {
        name,
        code,
        sha256: createHash("sha256").update(code).digest("hex"),
        archive: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(code) }),
    };
}

const cache = new Map<string, HandlerBundle>();

/** Bundles a handler once per process: the plan, the tests and the benchmarks run the program many times. */
export function bundleHandler(name: string): HandlerBundle {
    let bundle = cache.get(name);
    if (!bundle) {
        bundle = buildHandler(name);
        cache.set(name, bundle);
    }
    return bundle;
}
