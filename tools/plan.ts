// `npm run plan -- [--stack dev|prod] [--json] [--policy-pack-config FILE]`: runs index.ts on the Pulumi runtime
// mocks with the stack's config (no Pulumi CLI, no AWS account), then prints what would be created, the policy
// pack's verdict on it and the effective-permissions matrix. Exit 0: no mandatory violation; 1: at least one;
// 2: bad usage, a missing stack file or invalid stack config (the program's own message).

import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, ProgramFailed, RecordedResource, runProgram } from "./mocks/harness";
import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, UsageError, parseArgs, readPackConfig, runAsCli } from "./lib/cliArgs";
import { PackConfigError, RunnerResource } from "./lib/packRunner";
import { arnLabelsOf, buildReport, mandatoryViolations, renderText } from "./lib/report";

const USAGE = "usage: npm run plan -- [--stack dev|prod] [--json] [--policy-pack-config FILE]";

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

export async function main(argv: string[], io: CommandIo, options: PlanOptions = {}): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--stack", "--policy-pack-config"], booleans: ["--json", "--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nRuns index.ts on mocks with Pulumi.<stack>.yaml and reports resources, policy violations and permissions.\n`);
            return EXIT_OK;
        }
        if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional[0]} (${USAGE})`);
        const stack = args.values["--stack"] ?? "dev";
        const stackFile = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
        if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
            const known = fs.readdirSync(PROJECT_ROOT).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s);
            throw new UsageError(`no stack config Pulumi.${stack}.yaml (stacks here: ${known.join(", ") || "none"})`);
        }
        const packConfig = readPackConfig(args.values["--policy-pack-config"]);

        const show = progress(io);
        show.phase(`running index.ts on mocks with Pulumi.${stack}.yaml`);
        let recorded: RecordedResource[];
        try {
            const run = await runProgram({ stack, config: options.config, onResource: (_, count) => show.resource(count) });
            recorded = run.resources;
        } catch (e) {
            if (e instanceof ProgramFailed) {
                if (io.stderrIsTty) io.stderr("\r\x1b[2K");
                io.stderr(`plan: the program failed for stack "${stack}":\n${programMessage(e)}\n`);
                return EXIT_USAGE;
            }
            throw e;
        }
        show.phase(`${recorded.length} resources; running the policy pack and the permissions matrix`);
        const built = await buildReport(stack, recorded.map(toRunner), packConfig, true);
        if (args.booleans.has("--json")) {
            io.stdout(JSON.stringify(built.report, null, 2) + "\n");
        } else {
            const arnLabels = arnLabelsOf(recorded.map((r) => ({ type: r.type, name: r.name, arn: r.outputs.arn ?? r.inputs.arn })));
            io.stdout(renderText(built, { color: io.color, source: `index.ts on mocks with Pulumi.${stack}.yaml`, policyCount: built.policyCount, arnLabels }));
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
