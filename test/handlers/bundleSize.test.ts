import { strict as assert } from "node:assert";
import { builtinModules } from "node:module";
import { buildHandler } from "../../components/function/bundle";

/** Cold-start budget per handler, minified. */
const MAX_BUNDLE_BYTES = 50 * 1024;
const HANDLERS = ["submit", "status", "analysis"];
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Every module the bundle still `require`s, i.e. what the Lambda runtime must provide. */
function requiredAtRuntime(code: string): string[] {
    return [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
}

describe("handler bundles", () => {
    for (const name of HANDLERS) {
        it(`bundles ${name} within ${MAX_BUNDLE_BYTES / 1024} KB, needing only the runtime's AWS SDK and Node built-ins`, () => {
            // The deployed build (components/function/bundle.ts), so a change to either side is caught here.
            const { code } = buildHandler(name);
            const size = Buffer.byteLength(code);
            assert.ok(size <= MAX_BUNDLE_BYTES, `${name} bundle is ${size} bytes`);
            for (const module of requiredAtRuntime(code)) {
                assert.ok(module.startsWith("@aws-sdk/") || BUILTINS.has(module), `${name} requires ${module} at runtime`);
            }
        });
    }
});
