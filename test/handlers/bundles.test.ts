import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { bundleHandler, handlerNames } from "../../components/function/bundle";
import { ProgramRun, loadStackConfig, runProgram } from "../../tools/mocks/harness";
import { startLocalTicketTable } from "../support/dynamo";
import { statusEvent } from "./support/apiEvents";

/** Size budget per minified bundle, the AWS SDK included. */
const MAX_BUNDLE_BYTES = 400 * 1024;
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Loads `code` as `index.js` from a fresh temporary folder in a child node with only `env` (and PATH) set, as the
 * Lambda runtime does at cold start, and returns what the child saw: the handler export's type and any folder the
 * module resolver could still find packages in (there must be none, or the test would prove nothing).
 */
function loadAlone(code: string, env: Record<string, string>): { handler: string; reachable: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-load-"));
    try {
        fs.writeFileSync(path.join(dir, "index.js"), code);
        const probe =
            'const fs=require("fs");const m=require("./index.js");' +
            "const reachable=module.paths.filter((p)=>fs.existsSync(p));" +
            "process.stdout.write(JSON.stringify({handler:typeof m.handler,reachable}))";
        const out = execFileSync(process.execPath, ["-e", probe], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
        return JSON.parse(out.toString());
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("handler bundles", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ stack: "dev" });
    });

    for (const name of handlerNames()) {
        it(`bundles ${name} within ${MAX_BUNDLE_BYTES / 1024} KB with the AWS SDK inside, needing only Node built-ins`, () => {
            const { code, runtimeImports } = bundleHandler(name);
            const size = Buffer.byteLength(code);
            assert.ok(size <= MAX_BUNDLE_BYTES, `${name} bundle is ${size} bytes`);
            assert.ok(runtimeImports.length > 0, "esbuild reported no imports at all: the check below would prove nothing");
            for (const module of runtimeImports) assert.ok(BUILTINS.has(module), `${name} loads ${module} at run time`);
        });
    }

    it("load from an empty folder with each function's environment from the dev plan, and export the handler", async () => {
        const region = String(loadStackConfig("dev")["aws:region"]);
        const functions = run.ofType("aws:lambda/function:Function");
        assert.ok(functions.length > 0, "the dev plan has functions");
        for (const fn of functions) {
            // What the function is configured with, plus what the Lambda runtime itself sets; no credentials: loading
            // must not need them.
            const env: Record<string, string> = {
                ...fn.inputs.environment?.variables,
                AWS_REGION: region,
                AWS_DEFAULT_REGION: region,
                AWS_LAMBDA_FUNCTION_NAME: fn.inputs.name,
                AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.inputs.memorySize),
                AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
                NODE_NO_WARNINGS: "1",
            };
            const code = await (await fn.inputs.code.assets)["index.js"].text;
            assert.equal(typeof code, "string", `${fn.name}: the code asset has no index.js text`);
            const loaded = loadAlone(code, env);
            assert.deepEqual(loaded.reachable, [], `${fn.name}: node_modules reachable from the temporary folder`);
            assert.equal(loaded.handler, "function", `${fn.name}: handler export`);
        }
    });

    it("serve a request from an empty folder: the SDK inside signs and sends it (status against a local DynamoDB)", async () => {
        const [STORED, MISSING] = ["0b5e1c52-8d3f-4a5e-9c1e-3f2a1b4c5d6e", "7f3c2b1a-0e9d-4c8b-a7f6-e5d4c3b2a190"];
        const local = await startLocalTicketTable("bundle-tickets");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-run-"));
        try {
            await local.db.send(new PutCommand({
                TableName: local.tableName,
                Item: { id: STORED, owner: "user-a", subject: "s", description: "d", priority: "low", status: "open", createdAt: "2026-01-01T00:00:00.000Z" },
            }));
            const endpoint = await local.client.config.endpoint!();
            fs.writeFileSync(path.join(dir, "index.js"), bundleHandler("status").code);
            const probe =
                'const { handler } = require("./index.js");' +
                "Promise.all(JSON.parse(process.env.EVENTS).map((e) => handler(e, {})))" +
                // The handler logs to stdout too; the result is the one line marked as such.
                '.then((r) => process.stdout.write("\\nRESULT " + JSON.stringify(r.map((x) => [x.statusCode, JSON.parse(x.body).id ?? null])) + "\\n"));';
            // Asynchronous: the local engine runs in this process and must keep answering while the child waits.
            const { stdout } = await promisify(execFile)(process.execPath, ["-e", probe], {
                cwd: dir,
                env: {
                    PATH: process.env.PATH ?? "",
                    NODE_NO_WARNINGS: "1",
                    TABLE_NAME: local.tableName,
                    AWS_REGION: "eu-west-1",
                    AWS_ACCESS_KEY_ID: "local",
                    AWS_SECRET_ACCESS_KEY: "local",
                    AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
                    EVENTS: JSON.stringify([statusEvent(STORED), statusEvent(MISSING)]),
                },
            });
            const result = stdout.split("\n").find((line) => line.startsWith("RESULT "));
            assert.ok(result, `no result from the child: ${stdout}`);
            assert.deepEqual(JSON.parse(result.slice("RESULT ".length)), [[200, STORED], [404, null]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            await local.stop();
        }
    });

    it("fail to load without the configuration a function needs, so the test above is not vacuous", () => {
        const { code } = bundleHandler("status");
        assert.throws(() => loadAlone(code, { NODE_NO_WARNINGS: "1" }), /TABLE_NAME/);
    });
});
