// `npm run check -- FILE [--json] [--strict] [--policy-pack-config FILE]`: runs the policy pack, in process, on a
// `pulumi stack export` (deployment version 3 or 4), a local backend checkpoint or a `pulumi preview --json`, and prints
// the same report as `plan` (without the resource tree). Exit 0: no mandatory violation; 1: at least one; 2:
// unreadable input, nothing to check, or bad usage.

import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, UsageError, parseArgs, readPackConfig, runAsCli } from "./lib/cliArgs";
import { PackConfig, PackConfigError } from "./lib/packRunner";
import { iamRequireReadableDocument } from "../policypack/policies/iamRequireReadableDocument";
import { arnLabelsOf, buildReport, mandatoryViolations, renderText } from "./lib/report";
import { StackFileError, readStackFile } from "./lib/stackFile";

const USAGE = "usage: npm run check -- FILE [--json] [--strict] [--policy-pack-config FILE]";

/** `--strict`: an IAM document the pack cannot read (an encrypted secret) is a mandatory violation. */
function strictConfig(config: PackConfig): PackConfig {
    const name = iamRequireReadableDocument.name;
    const own = config[name];
    return { ...config, [name]: typeof own === "object" && own !== null ? { ...own, enforcementLevel: "mandatory" } : "mandatory" };
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--policy-pack-config"], booleans: ["--json", "--strict", "--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nFILE is the output of \`pulumi stack export\`, a local backend checkpoint or \`pulumi preview --json\`.\n` +
                "--strict fails on an IAM document the pack cannot read (a secret exported without --show-secrets).\n");
            return EXIT_OK;
        }
        if (args.positional.length !== 1) throw new UsageError(args.positional.length ? `expected one FILE, got ${args.positional.length} (${USAGE})` : `missing FILE (${USAGE})`);
        const given = readPackConfig(args.values["--policy-pack-config"]);
        const packConfig = args.booleans.has("--strict") ? strictConfig(given) : given;
        const file = readStackFile(args.positional[0]);
        const built = await buildReport(file.stack ?? "(unknown)", file.resources, packConfig, false);
        if (args.booleans.has("--json")) {
            io.stdout(JSON.stringify(built.report, null, 2) + "\n");
        } else {
            const arnLabels = arnLabelsOf(file.resources.map((r) => ({ type: r.type, name: r.name, arn: file.arns.get(r.urn) })));
            io.stdout(renderText(built, { color: io.color, source: `${file.format} ${args.positional[0]}`, policyCount: built.policyCount, arnLabels }));
        }
        return mandatoryViolations(built.report).length ? EXIT_VIOLATIONS : EXIT_OK;
    } catch (e) {
        if (e instanceof UsageError || e instanceof StackFileError) {
            io.stderr(`check: ${e.message}\n`);
            return EXIT_USAGE;
        }
        if (e instanceof PackConfigError) {
            io.stderr(`check: ${e.message}\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
}

if (require.main === module) runAsCli(main);
