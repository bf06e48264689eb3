// `npm run smoke -- --stack dev [--export FILE] [--outputs FILE] [--fire-alarm] [--profile P] [--region R] [--json]`:
// after `pulumi up`, checks what only the deployed stack can show (trail delivery, function state and init, site
// headers, API refusals, WAF association and logging, and in prod an alarm's SNS delivery), one line per check with
// the evidence. Exit 0: every check passed; 1: one failed; 2: bad input, no credentials, or a missing permission.

import { CommandIo, EXIT_OK, EXIT_USAGE, UsageError, parseArgs, runAsCli } from "./lib/cliArgs";
import { AwsClients, AwsOptions, AwsSetupError, SMOKE_OPERATIONS, OPERATIONS } from "./lib/ops/aws";
import { CheckResult, exitCodeOf, missingPermissions, progress, renderCheckLine } from "./lib/ops/checkRun";
import { DEFAULT_TIMING, SmokeTiming, alarmCheck, alarmsOf, functionChecks, siteChecks, trailChecks, wafChecks } from "./lib/ops/smokeChecks";
import { loadStack, pulumiOnPath } from "./lib/ops/stackInput";

const USAGE = "usage: npm run smoke -- --stack NAME [--export FILE] [--outputs FILE] [--fire-alarm] [--profile P] [--region R] [--json]";

export interface SmokeOptions {
    /** AWS client config merged into every client (tests: request handler, credentials). */
    aws?: AwsOptions["clientConfig"];
    timing?: Partial<SmokeTiming>;
    /** Accept an http site URL (a loopback test server). */
    allowHttp?: boolean;
    /** Whether the Pulumi CLI may be run; default: whether it is on PATH. */
    pulumiCli?: boolean;
    now?: () => number;
}

/** The `--json` document (README: "smoke --json"). */
export interface SmokeReport {
    command: "smoke";
    stack: string;
    source: string;
    checks: CheckResult[];
    /** IAM actions that were denied; non-empty means exit 2. */
    missingPermissions: string[];
    summary: Record<CheckResult["status"], number>;
    exitCode: number;
}

export async function main(argv: string[], io: CommandIo, options: SmokeOptions = {}): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--stack", "--export", "--outputs", "--profile", "--region"], booleans: ["--json", "--fire-alarm", "--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nChecks a deployed stack; reads it from FILE (\`pulumi stack export\`) or the Pulumi CLI. IAM actions needed: ops/smoke-policy.json.\n`);
            return EXIT_OK;
        }
        if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional[0]} (${USAGE})`);
        const stackName = args.values["--stack"];
        if (!stackName) throw new UsageError(`missing --stack (${USAGE})`);
        const stack = loadStack(stackName, {
            exportFile: args.values["--export"],
            outputsFile: args.values["--outputs"],
            // Probed only when needed: `pulumi version` takes a moment.
            useCli: args.values["--export"] === undefined && (options.pulumiCli ?? pulumiOnPath()),
            exportFlag: "--export",
        });
        const fireAlarm = args.booleans.has("--fire-alarm");
        if (fireAlarm && alarmsOf(stack).length === 0) throw new UsageError(`--fire-alarm: stack ${stackName} has no alarm (security alarms are a prod setting)`);

        const show = progress(io, "smoke");
        const ctx = {
            stack,
            aws: new AwsClients({ profile: args.values["--profile"], region: args.values["--region"], clientConfig: options.aws }),
            timing: { ...DEFAULT_TIMING, ...options.timing },
            fireAlarm,
            allowHttp: options.allowHttp ?? false,
            step: show.step,
            now: options.now ?? Date.now,
        };
        show.step(`checking stack ${stackName} (${stack.source})`);
        const groups = await Promise.all([trailChecks(ctx), functionChecks(ctx), siteChecks(ctx), wafChecks(ctx)]);
        show.step("alarm notification");
        groups.push(await alarmCheck(ctx));
        show.done();
        const checks = groups.flat();

        const exitCode = exitCodeOf(checks);
        const summary = { pass: 0, fail: 0, skip: 0, "no-access": 0 };
        for (const c of checks) summary[c.status]++;
        const missing = missingPermissions(checks);
        if (args.booleans.has("--json")) {
            const report: SmokeReport = { command: "smoke", stack: stackName, source: stack.source, checks, missingPermissions: missing, summary, exitCode };
            io.stdout(JSON.stringify(report, null, 2) + "\n");
        } else {
            io.stdout(`Smoke check of stack ${stackName} (${stack.source})\n\n`);
            io.stdout(checks.map((c) => renderCheckLine(c, io.color)).join("\n") + "\n\n");
            io.stdout(`${summary.pass} passed, ${summary.fail} failed, ${summary.skip} skipped, ${summary["no-access"]} denied\n`);
            if (missing.length) io.stdout(`Missing permissions: ${missing.join(", ")} (ops/smoke-policy.json has every action smoke needs)\n`);
        }
        return exitCode;
    } catch (e) {
        if (e instanceof UsageError || e instanceof AwsSetupError) {
            io.stderr(`smoke: ${e.message}\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
}

/** The IAM actions smoke needs (the README's policy document is tested against these). */
export const SMOKE_ACTIONS = SMOKE_OPERATIONS.map((op) => OPERATIONS[op]);

if (require.main === module) runAsCli(main);
