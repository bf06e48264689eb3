// `npm run bench`: every figure a ratio measured in this one run (the machines are noisy), printed as one table
// and written with the date, nproc and node version to bench/RESULTS.md.

import "../test/handlers/support/lambdaEnvironment";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ourPolicies, peerPolicies, replicatedExport, timePack } from "./check";
import { ColdLoad, coldLoadSection, measureColdLoads } from "./coldLoad";
import { handlerLatency } from "./handlers";
import { Row, fmt, median, table } from "./lib";
import { floorMs, functionsRun, generatedUsers, harnessFloorMs, orgRun, programRun, PlanRun, replayMs } from "./plan";
import { scriptWallTime, suiteWallTime } from "./suite";

const rows: Row[] = [];
const log = (message: string) => process.stderr.write(`${message}\n`);

/** How many promises the SDK wraps in `debuggablePromise` while `fn` runs: each formats one stack (counted here). */
async function sdkPromiseWraps(fn: () => Promise<unknown>): Promise<number> {
    const format = Error.prepareStackTrace;
    let count = 0;
    Error.prepareStackTrace = (error, frames) => {
        if (/[\\/]runtime[\\/]debuggable\.js$/.test(frames[0]?.getFileName() ?? "")) count++;
        return format ? format(error, frames) : String(error);
    };
    try {
        await fn();
    } finally {
        Error.prepareStackTrace = format;
    }
    return count;
}

async function planSection(): Promise<void> {
    log("1. plan vs floor");
    await programRun("warm-up");
    await floorMs(100);
    await harnessFloorMs(100);
    // Interleaved, median of 7: the program, then each floor for the same resource count.
    const program: number[] = [], floor: number[] = [], harness: number[] = [], replay: number[] = [];
    let dev: PlanRun | undefined;
    for (let i = 0; i < 7; i++) {
        dev = await programRun("dev");
        program.push(dev.ms);
        floor.push(await floorMs(dev.resources));
        harness.push(await harnessFloorMs(dev.resources - 1));
        replay.push(await replayMs(dev.recorded));
    }
    const n = dev!.resources;
    const [p, f, h, r] = [program, floor, harness, replay].map(median);
    const msPerRes = (ms: number) => `${fmt(ms, 0)} ms (${fmt(ms / n)} ms/res)`;
    rows.push({ section: "1", measure: `dev program on the harness: ${n} resources (median of 7)`, value: msPerRes(p) });
    rows.push({ section: "1", measure: `floor: bare mocks, ${n} trivial resources`, value: msPerRes(f) });
    rows.push({ section: "1", measure: "program / floor", value: `${fmt(p / f)}x`, goal: "<= 1.5x", met: p / f <= 1.5 });
    rows.push({ section: "1", measure: "where it goes: harness with trivial resources / bare floor", value: `${msPerRes(h)}; ${fmt(h / f)}x` });
    rows.push({ section: "1", measure: "where it goes: program's recorded inputs replayed as plain values / harness floor", value: `${msPerRes(r)}; ${fmt(r / h)}x` });
    rows.push({ section: "1", measure: "where it goes: program (components, Outputs, applies, invokes) / replay", value: `${fmt(p / r)}x` });
    // Evidence for the cause: the SDK wraps every input property (declared ones included, even when undefined) in a
    // promise that captures a V8 stack; capturing fewer frames shows how much of a run that capture is.
    const limit = Error.stackTraceLimit;
    const shallow: number[] = [], shallowFloor: number[] = [];
    try {
        Error.stackTraceLimit = 1;
        for (let i = 0; i < 7; i++) {
            shallow.push((await programRun("dev")).ms);
            shallowFloor.push(await floorMs(n));
        }
    } finally {
        Error.stackTraceLimit = limit;
    }
    const [ps, fs1] = [shallow, shallowFloor].map(median);
    rows.push({ section: "1", measure: "evidence: same with V8 stack capture limited to 1 frame (program; floor; ratio)", value: `${msPerRes(ps)}; ${msPerRes(fs1)}; ${fmt(ps / fs1)}x` });
    const programWraps = await sdkPromiseWraps(() => programRun("dev"));
    const floorWraps = await sdkPromiseWraps(() => floorMs(n));
    rows.push({ section: "1", measure: "evidence: promises the SDK wraps (each with a stack capture) per resource: program; floor", value: `${fmt(programWraps / n, 1)}; ${fmt(floorWraps / n, 1)}` });

    const series: PlanRun[] = [];
    for (const users of [5, 50, 500]) series.push(await orgRun(`${users} users (org stack)`, generatedUsers(users)));
    for (const functions of [3, 30, 300]) series.push(await functionsRun(functions));
    for (const run of series) {
        rows.push({ section: "1", measure: `growth: ${run.label}`, value: `${run.resources} res, ${fmt(run.ms, 0)} ms, ${fmt(run.ms / run.resources)} ms/res` });
    }
    const perRes = (r: PlanRun) => r.ms / r.resources;
    for (const [a, b] of [[0, 2], [3, 5]]) {
        const growth = perRes(series[b]) / perRes(series[a]);
        rows.push({ section: "1", measure: `ms/res ${series[b].label} / ${series[a].label}`, value: `${fmt(growth)}x`, goal: "<= 1.5x (linear)", met: growth <= 1.5 });
    }
}

async function checkSection(): Promise<void> {
    log("2. check throughput vs peer");
    const { resources, perCopy, copies } = await replicatedExport(10_000);
    rows.push({ section: "2", measure: "export", value: `${resources.length} resources (${copies} copies x ${perCopy} of the dev program)` });
    // Interleaved rounds, median throughput of each: the machine is noisy.
    const peerPack = await peerPolicies();
    const oursRuns = [], peerRuns = [];
    for (let i = 0; i < 5; i++) {
        oursRuns.push(await timePack(ourPolicies, resources));
        peerRuns.push(await timePack(peerPack, resources));
    }
    const byThroughput = (runs: Awaited<ReturnType<typeof timePack>>[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[runs.length >> 1];
    const ours = byThroughput(oursRuns);
    const peer = byThroughput(peerRuns);
    rows.push({ section: "2", measure: `our pack: ${ours.rules} rules (median of 5)`, value: `${fmt(ours.perSecond, 0)} res/s (${fmt(ours.ms, 0)} ms, ${ours.violations} violations)`, goal: ">= 20000 res/s", met: ours.perSecond >= 20_000 });
    rows.push({ section: "2", measure: `peer @pulumi/awsguard: ${peer.rules} rules, same runner (median of 5)`, value: `${fmt(peer.perSecond, 0)} res/s (${fmt(peer.ms, 0)} ms, ${peer.violations} violations)` });
    const faster = ours.perSecond / peer.perSecond;
    rows.push({ section: "2", measure: "ours / peer throughput; rules ours vs peer", value: `${fmt(faster)}x; ${ours.rules} vs ${peer.rules}`, goal: "> 1x with more rules", met: faster > 1 && ours.rules > peer.rules });
}

const COLD_LOAD_RUNS = 21;
let coldLoads: ColdLoad[] = [];

async function handlerSection(): Promise<void> {
    log("3. handlers");
    // Size and cold load go in their own section of RESULTS.md (bench/coldLoad.ts also runs alone).
    coldLoads = await measureColdLoads(COLD_LOAD_RUNS);
    for (const l of await handlerLatency(1000)) {
        const r50 = l.p50 / l.bareP50, r99 = l.p99 / l.bareP99;
        rows.push({ section: "3", measure: `${l.name} vs bare ${l.name === "submit" ? "PutItem" : "GetItem"}: p50, p99 (ms)`, value: `${fmt(l.p50, 3)} vs ${fmt(l.bareP50, 3)}; ${fmt(l.p99, 3)} vs ${fmt(l.bareP99, 3)}` });
        rows.push({ section: "3", measure: `${l.name}: p50 ratio, p99 ratio`, value: `${fmt(r50)}x, ${fmt(r99)}x`, goal: "<= 2x", met: r50 <= 2 && r99 <= 2 });
    }
}

function suiteSection(): void {
    log("4. test suite");
    const suite = suiteWallTime();
    rows.push({ section: "4", measure: `npm test wall time (${suite.passing} passing, ${suite.failing} failing)`, value: `${fmt(suite.ms / 1000, 1)} s`, goal: "<= 60 s", met: suite.ms <= 60_000 });
    const checked = scriptWallTime("tools/plan.ts", false);
    const transpiled = scriptWallTime("tools/plan.ts", true);
    rows.push({ section: "4", measure: "npm run plan: ts-node type-checking vs --transpile-only", value: `${fmt(checked / 1000, 1)} s vs ${fmt(transpiled / 1000, 1)} s (${fmt(checked / transpiled)}x)` });
}

async function main(): Promise<void> {
    const started = new Date();
    const loadAverage = os.loadavg();
    await planSection();
    await checkSection();
    await handlerSection();
    suiteSection();
    const body = table(rows);
    console.log(body);
    const header = [
        "# Benchmark results",
        "",
        `Measured ${started.toISOString()} by \`npm run bench\` on ${os.cpus().length} CPUs (nproc), node ${process.version}.`,
        "Every ratio compares two figures measured in this same run.",
        "",
    ].join("\n");
    const notesFile = path.join(__dirname, "NOTES.md");
    const notes = fs.existsSync(notesFile) ? `\n${fs.readFileSync(notesFile, "utf8")}` : "";
    const coldLoad = coldLoadSection(coldLoads, COLD_LOAD_RUNS, started, "npm run bench", loadAverage);
    fs.writeFileSync(path.join(__dirname, "RESULTS.md"), `${header}\n${body}\n\n${coldLoad}\n${notes}`);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
