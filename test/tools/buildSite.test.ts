import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { siteBuild } from "../../components/site/build";
import { main } from "../../tools/buildSite";
import { collectingIo } from "./support";

async function buildSite(...args: string[]) {
    const io = collectingIo();
    const code = await main(args, io);
    return { code, stdout: io.out, stderr: io.err };
}

describe("npm run build:site", () => {
    let outDir: string;
    beforeEach(() => {
        outDir = fs.mkdtempSync(path.join(os.tmpdir(), "site-out-"));
    });
    afterEach(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("writes the files the program uploads, byte for byte, replacing old assets and keeping a config.json", async () => {
        fs.mkdirSync(path.join(outDir, "assets"));
        fs.writeFileSync(path.join(outDir, "assets", "app-OLDHASH0.js"), "old");
        fs.writeFileSync(path.join(outDir, "config.json"), "{}");
        const ran = await buildSite("--out-dir", outDir);
        assert.equal(ran.code, 0, ran.stderr);
        for (const file of siteBuild().files) {
            assert.equal(fs.readFileSync(path.join(outDir, file.path), "utf8"), file.content, file.path);
            assert.match(ran.stdout, new RegExp(`${file.path.replace(/[.]/g, "\\.")}\\s+[\\d.]+ KB\\s+${file.contentType.replace(/[;]/g, ";")}`));
        }
        assert.ok(!fs.existsSync(path.join(outDir, "assets", "app-OLDHASH0.js")), "stale asset removed");
        assert.equal(fs.readFileSync(path.join(outDir, "config.json"), "utf8"), "{}");
    });

    it("exits 2 with one line for an unknown option or argument, or a directory it cannot write", async () => {
        for (const args of [["--outdir", outDir], ["extra"]]) {
            const ran = await buildSite(...args);
            assert.equal(ran.code, 2);
            assert.equal(ran.stderr.trim().split("\n").length, 1, ran.stderr);
            assert.match(ran.stderr, /^build:site: /);
        }
        const file = path.join(outDir, "a-file");
        fs.writeFileSync(file, "");
        const ran = await buildSite("--out-dir", path.join(file, "site"));
        assert.equal(ran.code, 2);
        assert.match(ran.stderr, /^build:site: cannot write to .*\(ENOTDIR\)\n$/);
    });
});
