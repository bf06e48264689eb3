// `npm run -s stacks`: the stacks the workflows plan, preview and deploy, and which of them a change touches.

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { touchedStacks } from "../../tools/lib/stacks";
import { main } from "../../tools/stacks";
import { collectingIo, runNpm } from "./support";

const STACKS = ["bootstrap-dev", "dev", "org", "prod"];

describe("stacks", function () {
    describe("what a change touches", function () {
        it("a Pulumi.<stack>.yaml touches that stack only; a deleted stack's file touches nothing", function () {
            assert.deepStrictEqual(touchedStacks(["Pulumi.prod.yaml"], STACKS), ["prod"]);
            assert.deepStrictEqual(touchedStacks(["Pulumi.org.yaml", "Pulumi.dev.yaml"], STACKS), ["dev", "org"]);
            assert.deepStrictEqual(touchedStacks(["Pulumi.staging.yaml"], STACKS), []);
        });

        it("tests, benchmarks, ops documents, CI's script and prose touch nothing", function () {
            const inert = ["test/tools/plan.test.ts", "bench/run.ts", "ops/smoke-policy.json", ".ci/run", "README.md", "policypack/README.md", "eslint.config.mjs", ".mocharc.json"];
            assert.deepStrictEqual(touchedStacks(inert, STACKS), []);
        });

        it("the program, the pack, handlers, config, Pulumi.yaml, the lockfile, tools, workflows and unknown paths touch every stack", function () {
            for (const file of ["index.ts", "components/api/secureHttpApi.ts", "policypack/policies/index.ts", "handlers/submit.ts", "config/schema.ts",
                "Pulumi.yaml", "package-lock.json", "tools/lib/stacks.ts", ".github/workflows/pulumi.yml", "site/index.html", "somewhere/new.ts"]) {
                assert.deepStrictEqual(touchedStacks(["README.md", file], STACKS), STACKS, file);
            }
        });
    });

    describe("the command", function () {
        let repo: string;
        const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, stdio: "pipe" });

        before(function () {
            repo = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
            for (const s of ["bootstrap-111111111111", "dev", "prod"]) fs.writeFileSync(path.join(repo, `Pulumi.${s}.yaml`), "config: {}\n");
            fs.writeFileSync(path.join(repo, "Pulumi.yaml"), "name: x\n");
            git("init", "-q", "-b", "main");
            git("add", ".");
            git("commit", "-q", "-m", "base");
            git("checkout", "-q", "-b", "change");
            fs.writeFileSync(path.join(repo, "Pulumi.prod.yaml"), "config: { a: 1 }\n");
            fs.writeFileSync(path.join(repo, "README.md"), "docs\n");
            git("add", ".");
            git("commit", "-q", "-m", "change prod");
        });
        after(() => fs.rmSync(repo, { recursive: true, force: true }));

        it("prints every stack here as one JSON array, and without the bootstrap stacks for CI's deploys", async function () {
            const io = collectingIo();
            assert.strictEqual(await main([], io, repo), 0);
            assert.deepStrictEqual(JSON.parse(io.out), ["bootstrap-111111111111", "dev", "prod"]);
            const ci = collectingIo();
            assert.strictEqual(await main(["--deployed-by-ci"], ci, repo), 0);
            assert.deepStrictEqual(JSON.parse(ci.out), ["dev", "prod"]);
        });

        it("--changed-since: the stacks the commits since the merge base touch", async function () {
            const io = collectingIo();
            assert.strictEqual(await main(["--changed-since", "main", "--deployed-by-ci"], io, repo), 0);
            assert.deepStrictEqual(JSON.parse(io.out), ["prod"]);
            fs.writeFileSync(path.join(repo, "index.ts"), "export {};\n");
            git("add", ".");
            git("commit", "-q", "-m", "program");
            const all = collectingIo();
            assert.strictEqual(await main(["--changed-since", "main"], all, repo), 0);
            assert.deepStrictEqual(JSON.parse(all.out), ["bootstrap-111111111111", "dev", "prod"]);
        });

        it("exits 2 with one line for an unknown revision, an option or an argument", async function () {
            for (const argv of [["--changed-since", "no-such-branch"], ["--changed-since", "--all"], ["--deployed"], ["prod"]]) {
                const io = collectingIo();
                assert.strictEqual(await main(argv, io, repo), 2, argv.join(" "));
                assert.strictEqual(io.out, "");
                assert.match(io.err, /^stacks: [^\n]+\n$/, argv.join(" "));
            }
        });

        it("runs as documented: npm run -s stacks prints only the JSON array", async function () {
            const ran = await runNpm("stacks", ["--deployed-by-ci"]);
            assert.strictEqual(ran.code, 0, ran.stderr);
            const stacks = JSON.parse(ran.stdout) as string[];
            assert.ok(["dev", "org", "prod"].every((s) => stacks.includes(s)) && !stacks.some((s) => s.startsWith("bootstrap-")), ran.stdout);
        });
    });
});
