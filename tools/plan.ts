// `npm run plan -- [--stack dev|prod|org|bootstrap-<stack>] [--json | --summary] [--policy-pack-config FILE]`: runs index.ts on the Pulumi runtime
// mocks with the stack's config (no Pulumi CLI, no AWS account), then prints what would be created, the policy
// pack's verdict on it and the effective-permissions matrix. For the org stack it first runs each environment's
// workload stack on mocks and hands their outputs to the org stack's StackReferences, then adds the matrix per
// account. A bootstrap stack is judged with bootstrap-pack-config.json unless --policy-pack-config names another
// (its exceptions are reported as suppressed). Exit 0: no mandatory violation; 1: at least one; 2: bad usage, a
// missing stack file or invalid stack config (the program's own message).

import * as fs from "fs";
import * as path from "path";
import { loadOrgConfig } from "../config/load";
import { OrgConfig } from "../config/orgSchema";
import { PROJECT_ROOT, ProgramFailed, RecordedResource, loadStackConfig, runProgram, stackOfReference } from "./mocks/harness";
import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, UsageError, parseArgs, readPackConfig, runAsCli } from "./lib/cliArgs";
import { PackConfigError, RunnerResource } from "./lib/packRunner";
import { EnvironmentInput } from "./lib/permissions";
import { arnLabelsOf, buildReport, mandatoryViolations, renderSummary, renderText } from "./lib/report";
import { localStacks as stacksIn } from "./lib/stacks";

/** The pack config a bootstrap stack is judged with by default (written by `npm run derive:deployer`). */
const BOOTSTRAP_PACK_CONFIG = "bootstrap-pack-config.json";

const USAGE = "usage: npm run plan -- [--stack dev|prod|org|bootstrap-<stack>] [--json | --summary] [--policy-pack-config FILE]";

export interface PlanOptions {
    /** Stack config overrides (`key` or `ns:key`), as the harness takes them; for tests of config errors. */
    config?: Record<string, unknown>;
}

/** Progress on stderr: one redrawn line on a terminal, a line per phase otherwise. */
function progress(io: CommandIo) {
    let last = 0;
    return {
        resource(count: number) {
            if (!io.stderrIsTty) return;
            const now = Date.now();
            if (now - last < 100) return;
            last = now;
            io.stderr(`\rplan: ${count} resources registered...`);
        },
        phase(text: string) {
            io.stderr(io.stderrIsTty ? `\r\x1b[2Kplan: ${text}\n` : `plan: ${text}\n`);
        },
    };
}

/** The program's error, without the SDK's stack trace: config problems are already a full sentence per line. */
function programMessage(e: ProgramFailed): string {
    const cause = e.cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    return message.replace(/^Error: /, "");
}

/**
 * A harness record in the runner's shape: resource policies see the inputs, stack policies the outputs the mocks
 * returned (as the engine gives them the resulting state).
 */
export function toRunner(r: RecordedResource): RunnerResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.inputs,
        outputs: r.outputs,
        ...(r.parent ? { parent: r.parent } : {}),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        ...(r.provider ? { provider: r.provider } : {}),
    };
}

/** A program run that failed on its own input: exit 2 with the program's message. */
class StackFailed extends Error {}

const localStacks = () => stacksIn(PROJECT_ROOT);

/** Runs a program on mocks; a program error becomes StackFailed with `what` and the program's message. */
async function run(what: string, options: Parameters<typeof runProgram>[0]) {
    try {
        return await runProgram(options);
    } catch (e) {
        if (e instanceof ProgramFailed) throw new StackFailed(`plan: ${what}:\n${programMessage(e)}\n`);
        throw e;
    }
}

/** What the org stack needs before it can run: its validated config and each environment's workload stack run. */
async function runEnvironments(stack: string, config: Record<string, unknown> | undefined, onPhase: (text: string) => void) {
    let org: OrgConfig | undefined;
    // The org config, checked by the program's own loader in the Pulumi runtime: same messages as a real preview.
    await run(`the program failed for stack "${stack}"`, { stack, config, program: () => void (org = loadOrgConfig()) });
    const stacks = localStacks();
    // Every environment's stack file is checked before the first (slow) run.
    org!.environments.forEach((env, i) => {
        const local = stackOfReference(env.stack);
        if (!stacks.includes(local)) {
            throw new UsageError(`environments[${i}].stack "${env.stack}": no Pulumi.${local}.yaml here to run it from (stacks here: ${stacks.join(", ")})`);
        }
    });
    const environments: (EnvironmentInput & { outputs: Record<string, unknown> })[] = [];
    for (const env of org!.environments) {
        const local = stackOfReference(env.stack);
        onPhase(`environment ${env.name}: running index.ts on mocks with Pulumi.${local}.yaml`);
        const workload = await run(`the workload stack "${local}" of environment ${env.name} failed`, { stack: local });
        environments.push({ name: env.name, accountId: env.accountId, stack: env.stack, resources: workload.resources.map(toRunner), outputs: workload.outputs });
    }
    return environments;
}

export async function main(argv: string[], io: CommandIo, options: PlanOptions = {}): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--stack", "--policy-pack-config"], booleans: ["--json", "--summary", "--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nRuns index.ts on mocks with Pulumi.<stack>.yaml and reports resources, policy violations and permissions.\n`);
            return EXIT_OK;
        }
        if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional[0]} (${USAGE})`);
        if (args.booleans.has("--json") && args.booleans.has("--summary")) throw new UsageError(`--json and --summary exclude each other (${USAGE})`);
        const stack = args.values["--stack"] ?? "dev";
        const stackFile = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
        if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
            throw new UsageError(`no stack config Pulumi.${stack}.yaml (stacks here: ${localStacks().join(", ") || "none"})`);
        }
        const kind = options.config?.stackKind ?? loadStackConfig(stack)["swiftsupport:stackKind"];
        // The bootstrap stacks' deployer holds what deploying is; their committed config says so, derived with it.
        const packConfigFile = args.values["--policy-pack-config"] ?? (kind === "bootstrap" ? path.join(PROJECT_ROOT, BOOTSTRAP_PACK_CONFIG) : undefined);
        const packConfig = readPackConfig(packConfigFile);

        const show = progress(io);
        if (args.values["--policy-pack-config"] === undefined && kind === "bootstrap") show.phase(`bootstrap stack: the pack runs with ${BOOTSTRAP_PACK_CONFIG}`);
        const org = kind === "org";
        let recorded: RecordedResource[];
        let environments: Awaited<ReturnType<typeof runEnvironments>> | undefined;
        let outputs: Record<string, unknown>;
        try {
            if (org) environments = await runEnvironments(stack, options.config, (text) => show.phase(text));
            show.phase(`running index.ts on mocks with Pulumi.${stack}.yaml`);
            const references = Object.fromEntries((environments ?? []).map((e) => [e.stack, e.outputs]));
            const done = await run(`the program failed for stack "${stack}"`, {
                stack,
                config: options.config,
                stackReferences: references,
                onResource: (_, count) => show.resource(count),
            });
            recorded = done.resources;
            outputs = done.outputs;
        } catch (e) {
            if (e instanceof StackFailed) {
                if (io.stderrIsTty) io.stderr("\r\x1b[2K");
                io.stderr(e.message);
                return EXIT_USAGE;
            }
            throw e;
        }
        show.phase(`${recorded.length} resources; running the policy pack and the permissions matrix`);
        const built = await buildReport(stack, recorded.map(toRunner), packConfig, true, { outputs, environments });
        if (args.booleans.has("--json")) {
            io.stdout(JSON.stringify(built.report, null, 2) + "\n");
        } else {
            const arnLabels = arnLabelsOf(recorded.map((r) => ({ type: r.type, name: r.name, arn: r.outputs.arn ?? r.inputs.arn })));
            // The org stack's policies name the workload stacks' resources: label them with their environment.
            for (const env of environments ?? []) {
                const labels = arnLabelsOf(env.resources.map((r) => ({ type: r.type, name: r.name, arn: r.outputs?.arn ?? r.props.arn })));
                for (const [arn, label] of labels) arnLabels.set(arn, `${env.name}: ${label}`);
            }
            const render = args.booleans.has("--summary") ? renderSummary : renderText;
            io.stdout(render(built, { color: io.color, source: `index.ts on mocks with Pulumi.${stack}.yaml`, policyCount: built.policyCount, arnLabels }));
        }
        return mandatoryViolations(built.report).length ? EXIT_VIOLATIONS : EXIT_OK;
    } catch (e) {
        if (e instanceof UsageError || e instanceof PackConfigError) {
            io.stderr(`plan: ${e.message}\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
}

if (require.main === module) runAsCli(main);
