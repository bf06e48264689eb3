// Section 4: wall time of the test suite as `npm test` runs it, in a child process.

import { spawnSync } from "child_process";
import * as path from "path";
import { msSince } from "./lib";

const ROOT = path.resolve(__dirname, "..");

export interface SuiteRun {
    ms: number;
    passing: number;
    failing: number;
}

/** `mocha` with the project's .mocharc.json and the `test` script's glob, as `npm test` runs it. */
export function suiteWallTime(): SuiteRun {
    const start = process.hrtime.bigint();
    const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "mocha"), ["test/**/*.test.ts", "--reporter", "dot"], {
        cwd: ROOT,
        env: { ...process.env, NODE_NO_WARNINGS: "1" },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    const ms = msSince(start);
    const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(result.stdout)?.[1] ?? 0);
    return { ms, passing: count("passing"), failing: count("failing") };
}

/** `ts-node <script>` with and without type-checking, the process's own start included (how `npm run plan` starts). */
export function scriptWallTime(script: string, transpileOnly: boolean): number {
    const start = process.hrtime.bigint();
    spawnSync(path.join(ROOT, "node_modules", ".bin", "ts-node"), [...(transpileOnly ? ["--transpile-only"] : []), script], {
        cwd: ROOT,
        env: { ...process.env, NODE_NO_WARNINGS: "1" },
        encoding: "utf8",
    });
    return msSince(start);
}
