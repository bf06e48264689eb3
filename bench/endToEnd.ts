// `npm run bench:e2e`: `plan` and `check` as a user runs them (a new process each, through the bin), against a
// process that only imports @pulumi/pulumi and @pulumi/aws and registers as many trivial resources on mocks.
// Interleaved rounds, medians; wall time and the processes' own CPU time (the machine may be busy).

import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { fmt, median, msSince, Row, table } from "./lib";

const ROOT = path.resolve(__dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Ran {
    wallMs: number;
    cpuMs: number;
    stdout: string;
    code: number | null;
}

/** `node -r bench/cpuAtExit.js <args>` from the repository root. */
function run(args: string[]): Ran {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "bench", "cpuAtExit.js"), ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = msSince(start);
    const cpu = /bench-cpu-ms (\d+(?:\.\d+)?)/.exec(r.stderr);
    if (!cpu) throw new Error(`${args.join(" ")}: no CPU figure (exit ${r.status}):\n${r.stderr}`);
    return { wallMs, cpuMs: Number(cpu[1]), stdout: r.stdout, code: r.status };
}

const PLAN = ["tools/cli.js", "plan", "--json"];
const CHECK_FILE = "test/fixtures/tools/export-violations.json";
const CHECK = ["tools/cli.js", "check", CHECK_FILE, "--json"];

function main(): void {
    log("warm-up: builds the bundles and the compile caches");
    const first = run(PLAN);
    const resources = (JSON.parse(first.stdout).resources as unknown[]).length;
    run(CHECK);
    run(["bench/floorProcess.js", String(resources)]);
    run(["bench/floorProcess.js", String(resources), "--compile-cache"]);

    const checkFloorCode = (cache: boolean) =>
        `${cache ? `require("module").enableCompileCache?.(${JSON.stringify(path.join(ROOT, ".build", "compile-cache-floor"))});` : ""}require("@pulumi/policy");require("@pulumi/policy/deserialize");`;
    run(["-e", checkFloorCode(true)]);
    const plan: Ran[] = [], floor: Ran[] = [], floorCached: Ran[] = [], check: Ran[] = [], checkFloor: Ran[] = [], checkFloorCached: Ran[] = [];
    for (let i = 0; i < ROUNDS; i++) {
        log(`round ${i + 1}/${ROUNDS}`);
        floor.push(run(["bench/floorProcess.js", String(resources)]));
        plan.push(run(PLAN));
        floorCached.push(run(["bench/floorProcess.js", String(resources), "--compile-cache"]));
        check.push(run(CHECK));
        checkFloor.push(run(["-e", checkFloorCode(false)]));
        checkFloorCached.push(run(["-e", checkFloorCode(true)]));
    }
    const wall = (rs: Ran[]) => median(rs.map((r) => r.wallMs));
    const cpu = (rs: Ran[]) => median(rs.map((r) => r.cpuMs));
    const both = (rs: Ran[]) => `${fmt(wall(rs), 0)} ms wall, ${fmt(cpu(rs), 0)} ms CPU`;
    const rows: Row[] = [
        { section: "e2e", measure: `plan of dev, end to end (\`node tools/cli.js plan --json\`, ${resources} resources), median of ${ROUNDS}`, value: both(plan) },
        { section: "e2e", measure: `floor: a process importing @pulumi/pulumi + @pulumi/aws, ${resources} trivial resources on mocks`, value: both(floor) },
        { section: "e2e", measure: "plan / floor (wall; CPU)", value: `${fmt(wall(plan) / wall(floor))}x; ${fmt(cpu(plan) / cpu(floor))}x`, goal: "<= 1.5x", met: wall(plan) / wall(floor) <= 1.5 },
        { section: "e2e", measure: "floor with the same compile cache as the bin", value: both(floorCached) },
        { section: "e2e", measure: "plan / floor with compile cache (wall; CPU)", value: `${fmt(wall(plan) / wall(floorCached))}x; ${fmt(cpu(plan) / cpu(floorCached))}x` },
        { section: "e2e", measure: `check of ${CHECK_FILE} (\`node tools/cli.js check FILE --json\`)`, value: both(check), goal: "< 1 s", met: wall(check) < 1000 },
        { section: "e2e", measure: "check's floor: a process that only imports @pulumi/policy (+ its deserializer, which loads @pulumi/pulumi)", value: both(checkFloor) },
        { section: "e2e", measure: "the same with the compile cache", value: both(checkFloorCached) },
        { section: "e2e", measure: "check / its floor with compile cache (wall; CPU)", value: `${fmt(wall(check) / wall(checkFloorCached))}x; ${fmt(cpu(check) / cpu(checkFloorCached))}x` },
    ];
    const load = os.loadavg().map((l) => l.toFixed(1)).join(", ");
    process.stdout.write(`Measured ${new Date().toISOString()} by \`npm run bench:e2e\` on ${os.cpus().length} CPUs, node ${process.version}, load average after: ${load}.\n\n${table(rows)}\n`);
}

main();
