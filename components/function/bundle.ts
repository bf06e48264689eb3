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
    /** Modules the bundle still loads at run time, sorted: Node built-ins only, everything else is inside. */
    readonly runtimeImports: readonly string[];
    /** The deployment package. */
    readonly archive: pulumi.asset.AssetArchive;
}

const HANDLER_NAME = /^[a-z][A-Za-z0-9]*$/;

/** True when `handlers/<name>.ts` exists and the name is a plain identifier (no paths). */
export function handlerExists(name: string): boolean {
    return HANDLER_NAME.test(name) && fs.existsSync(path.join(HANDLERS_DIR, `${name}.ts`));
}

/** Every handler, by name: the entry files directly under `handlers/` (its `lib/` holds what they share). */
export function handlerNames(): string[] {
    return fs
        .readdirSync(HANDLERS_DIR)
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
        .map((file) => file.slice(0, -".ts".length))
        .filter(handlerExists)
        .sort();
}

/**
 * Bundles `handlers/<name>.ts` without caching: the one build both the program (the function's code asset) and
 * `npm run bundle` use. Everything the handler imports is inside, the AWS SDK v3 included, because the nodejs22.x
 * runtime's copy of the SDK comes at no promised version. The SDK's ES module build (`module` before `main`, which
 * its packages mark free of side effects) lets esbuild drop what the handler never calls. Node 22 CommonJS,
 * minified, no source map or legal comments (nothing that would embed a local path). esbuild fails on anything it
 * cannot resolve, so what remains external is Node's own modules.
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
        mainFields: ["module", "main"],
        minify: true,
        sourcemap: false,
        legalComments: "none",
        metafile: true,
        write: false,
        logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    return {
        name,
        code,
        sha256: createHash("sha256").update(code).digest("hex"),
        runtimeImports: [...new Set(imports)].sort(),
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
