import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HANDLERS_DIR, handlerNames } from "../../components/function/bundle";
import { main } from "../../tools/bundle";
import { runProgram } from "../../tools/mocks/harness";
import { collectingIo, runNpm } from "./support";

async function bundle(...args: string[]) {
    const io = collectingIo();
    const code = await main(args, io);
    return { code, stdout: io.out, stderr: io.err };
}

describe("npm run bundle", () => {
    let outDir: string;
    beforeEach(() => {
        outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-out-"));
    });
    afterEach(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("writes every handler's index.js byte for byte as the dev program's functions deploy it", async () => {
        const ran = await bundle("--out-dir", outDir);
        assert.equal(ran.code, 0, ran.stderr);
        assert.deepEqual(fs.readdirSync(outDir).sort(), handlerNames());
        const run = await runProgram({ stack: "dev" });
        // Every function deploys exactly one of the written files, and every written file is deployed.
        const written = new Map(handlerNames().map((name) => [fs.readFileSync(path.join(outDir, name, "index.js"), "utf8"), name]));
        const deployed = new Set<string>();
        const functions = run.ofType("aws:lambda/function:Function");
        assert.ok(functions.length > 0);
        for (const fn of functions) {
            const code = await (await fn.inputs.code.assets)["index.js"].text;
            const name = written.get(code);
            assert.ok(name !== undefined, `${fn.name}: its code asset is none of the files npm run bundle wrote`);
            deployed.add(name);
        }
        assert.deepEqual([...deployed].sort(), handlerNames());
        for (const name of handlerNames()) {
            assert.match(ran.stdout, new RegExp(`${name}[/\\\\]index\\.js +[0-9.]+ KB +sha256 [0-9a-f]{64}`));
        }
    });

    it("writes only the handlers named", async () => {
        const ran = await bundle("status", "--out-dir", outDir);
        assert.equal(ran.code, 0, ran.stderr);
        assert.deepEqual(fs.readdirSync(outDir), ["status"]);
    });

    it("refuses an unknown handler with exit 2, one line, and a suggestion, writing nothing", async () => {
        const ran = await bundle("sumbit", "status", "--out-dir", outDir);
        assert.equal(ran.code, 2);
        assert.equal(ran.stderr, `bundle: unknown handler "sumbit" (did you mean "submit"?); handlers: ${handlerNames().join(", ")}\n`);
        assert.deepEqual(fs.readdirSync(outDir), []);
    });

    it("exits 1 with esbuild's message, file and line when a handler does not build, still writing the others", async () => {
        const broken = path.join(HANDLERS_DIR, "zzBundleTestBroken.ts");
        fs.writeFileSync(broken, "export const handler = (;\n");
        try {
            const ran = await bundle("zzBundleTestBroken", "status", "--out-dir", outDir);
            assert.equal(ran.code, 1);
            assert.match(ran.stderr, /^bundle: zzBundleTestBroken: zzBundleTestBroken\.ts:1:\d+: Unexpected ";"\n$/);
            assert.deepEqual(fs.readdirSync(outDir), ["status"]);
        } finally {
            fs.rmSync(broken, { force: true });
        }
    });

    it("runs as documented, exit 2 on an unknown option", async () => {
        const ran = await runNpm("bundle", ["--no-such-flag"]);
        assert.equal(ran.code, 2);
        assert.match(ran.stderr, /^bundle: unknown option --no-such-flag \(usage: npm run bundle/);
        assert.equal(ran.stderr.trim().split("\n").length, 1);
    });
});
