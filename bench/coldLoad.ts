// Cold module load of each handler bundle, as Lambda's init pays it: the deployed, self-contained bundle (the AWS
// SDK inside, components/function/bundle.ts) against the form the functions shipped before, the SDK left external
// and resolved from node_modules, both built and measured in this same run.
//
// Alone: `npx ts-node --transpile-only bench/coldLoad.ts [--runs N]` prints the table and replaces its section of
// bench/RESULTS.md; `npm run bench` measures it too (section 3) and writes the same section.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { bundleHandler, handlerNames, HANDLERS_DIR } from "../components/function/bundle";
import { loadStackConfig, runProgram } from "../tools/mocks/harness";
import { Row, fmt, median, table } from "./lib";

/** Goals from issue 12. */
export const LOAD_GOAL_MS = 30;
export const SIZE_GOAL_BYTES = 400 * 1024;

/** Inside the repository, so the external form's `require("@aws-sdk/...")` resolves from node_modules. */
const EXTERNAL_DIR = path.join(__dirname, ".build", "external-sdk");

export interface ColdLoad {
    name: string;
    bytes: number;
    /** Median wall time of the load. */
    loadMs: number;
    /** Median CPU time (user + system) of the load: less disturbed than wall time by other work on the machine. */
    loadCpuMs: number;
    externalBytes: number;
    externalLoadMs: number;
    externalLoadCpuMs: number;
}

interface Sample {
    wallMs: number;
    cpuMs: number;
}

/** The build the functions shipped before issue 12: `@aws-sdk/*` left to the runtime, the SDK's CommonJS build. */
function externalSdkForm(name: string): string {
    return buildSync({
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
    }).outputFiles[0].text;
}

/** The environment of a dev-plan function deploying each handler (matched by code), plus what the Lambda runtime sets. */
async function planEnvironments(): Promise<Map<string, Record<string, string>>> {
    const region = String(loadStackConfig("dev")["aws:region"]);
    const run = await runProgram({ stack: "dev" });
    const byCode = new Map(handlerNames().map((name) => [bundleHandler(name).code, name]));
    const envs = new Map<string, Record<string, string>>();
    for (const fn of run.ofType("aws:lambda/function:Function")) {
        const name = byCode.get(await (await fn.inputs.code.assets)["index.js"].text);
        if (name === undefined || envs.has(name)) continue;
        envs.set(name, { ...fn.inputs.environment?.variables, AWS_REGION: region, AWS_DEFAULT_REGION: region, AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x" });
    }
    return envs;
}

/** Wall and CPU milliseconds a fresh `node` spends in `require(file)`, the process's own start-up excluded. */
function loadOnce(file: string, env: Record<string, string>): Sample {
    const probe =
        "const c=process.cpuUsage(),t=process.hrtime.bigint();" +
        `require(${JSON.stringify(file)});` +
        "const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);" +
        "process.stdout.write(JSON.stringify({wallMs:w,cpuMs:(u.user+u.system)/1e3}))";
    const out = execFileSync(process.execPath, ["-e", probe], {
        cwd: path.dirname(file),
        env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1", ...env },
    });
    return JSON.parse(out.toString()) as Sample;
}

/**
 * Per handler: the deployed bundle written alone to an empty temporary folder, the external form to bench/.build;
 * then `runs` rounds, each loading both in fresh processes one after the other (so drift in the machine hits both),
 * and the median of each.
 */
export async function measureColdLoads(runs = 21): Promise<ColdLoad[]> {
    const envs = await planEnvironments();
    fs.mkdirSync(EXTERNAL_DIR, { recursive: true });
    const results: ColdLoad[] = [];
    for (const name of handlerNames()) {
        const env = envs.get(name);
        if (!env) throw new Error(`no function in the dev plan deploys handler ${name}`);
        const alone = fs.mkdtempSync(path.join(os.tmpdir(), `coldload-${name}-`));
        try {
            const code = bundleHandler(name).code;
            const external = externalSdkForm(name);
            const file = path.join(alone, "index.js");
            const externalFile = path.join(EXTERNAL_DIR, `${name}.js`);
            fs.writeFileSync(file, code);
            fs.writeFileSync(externalFile, external);
            loadOnce(file, env); // warm the file cache for both
            loadOnce(externalFile, env);
            const own: Sample[] = [], old: Sample[] = [];
            for (let i = 0; i < runs; i++) {
                own.push(loadOnce(file, env));
                old.push(loadOnce(externalFile, env));
            }
            const wall = (samples: Sample[]) => median(samples.map((x) => x.wallMs));
            const cpu = (samples: Sample[]) => median(samples.map((x) => x.cpuMs));
            results.push({
                name,
                bytes: Buffer.byteLength(code),
                loadMs: wall(own),
                loadCpuMs: cpu(own),
                externalBytes: Buffer.byteLength(external),
                externalLoadMs: wall(old),
                externalLoadCpuMs: cpu(old),
            });
        } finally {
            fs.rmSync(alone, { recursive: true, force: true });
        }
    }
    return results;
}

export function coldLoadRows(loads: ColdLoad[], runs: number): Row[] {
    return loads.flatMap((l) => [
        { section: "3", measure: `${l.name}: self-contained bundle (SDK inside, deployed); before: SDK external`, value: `${fmt(l.bytes / 1024, 1)} KB; ${fmt(l.externalBytes / 1024, 1)} KB`, goal: `<= ${SIZE_GOAL_BYTES / 1024} KB`, met: l.bytes <= SIZE_GOAL_BYTES },
        { section: "3", measure: `${l.name}: cold module load from an empty folder, median of ${runs} (wall)`, value: `${fmt(l.loadMs, 1)} ms`, goal: `<= ${LOAD_GOAL_MS} ms`, met: l.loadMs <= LOAD_GOAL_MS },
        { section: "3", measure: `${l.name}: before, SDK external from node_modules (wall); self-contained / before`, value: `${fmt(l.externalLoadMs, 1)} ms; ${fmt(l.loadMs / l.externalLoadMs)}x` },
        { section: "3", measure: `${l.name}: CPU time of the load, self-contained vs before; ratio`, value: `${fmt(l.loadCpuMs, 1)} ms vs ${fmt(l.externalLoadCpuMs, 1)} ms; ${fmt(l.loadCpuMs / l.externalLoadCpuMs)}x` },
    ]);
}

const BEGIN = "<!-- cold-load: written by bench/coldLoad.ts -->";
const END = "<!-- /cold-load -->";

/** The section of bench/RESULTS.md: date, machine and command, then the table. */
export function coldLoadSection(loads: ColdLoad[], runs: number, started: Date, command: string, loadAverage: number[]): string {
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    return [
        BEGIN,
        "## Cold load of the handler bundles",
        "",
        `Measured ${started.toISOString()} by \`${command}\` on ${os.cpus().length} CPUs (${cpu}), ${os.type()} ${os.release()}, ` +
            `node ${process.version}; load average at start ${loadAverage.map((l) => fmt(l)).join(" ")}.`,
        "Each figure is the median time a fresh `node` spends in `require` of the bundle (its own start-up excluded), " +
            "with the function's environment from the dev plan. The deployed bundle loads from an empty temporary folder " +
            "(nothing else reachable); the before form is the previous build (`@aws-sdk/*` external) with the SDK resolved " +
            "from node_modules, loaded in the same rounds. CPU time (user + system, all of the process's threads) is shown " +
            "because other work on a shared machine stretches wall time but not the CPU a load needs.",
        "",
        table(coldLoadRows(loads, runs)),
        END,
    ].join("\n");
}

/** Puts `section` in place of the previous cold-load section of `file`, or appends it. */
export function writeColdLoadSection(file: string, section: string): void {
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmark results\n";
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : `${text.trimEnd()}\n\n${section}\n`;
    fs.writeFileSync(file, next);
}

async function main(argv: string[]): Promise<void> {
    const at = argv.indexOf("--runs");
    const runs = at >= 0 ? Number(argv[at + 1]) : 21;
    if (!Number.isInteger(runs) || runs < 1) {
        console.error("coldLoad: --runs needs a positive integer (usage: ts-node bench/coldLoad.ts [--runs N])");
        process.exit(2);
    }
    const started = new Date();
    const loadAverage = os.loadavg();
    const loads = await measureColdLoads(runs);
    console.log(table(coldLoadRows(loads, runs)));
    const command = `npx ts-node --transpile-only bench/coldLoad.ts${at >= 0 ? ` --runs ${runs}` : ""}`;
    writeColdLoadSection(path.join(__dirname, "RESULTS.md"), coldLoadSection(loads, runs, started, command, loadAverage));
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
