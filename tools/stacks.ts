// `npm run -s stacks -- [--changed-since REF] [--deployed-by-ci]`: prints the project's stacks as one JSON array (the
// workflows feed it to a job matrix). --changed-since REF: only those the changes from the merge base of REF and HEAD
// to HEAD touch (tools/lib/stacks.ts says what touches what); --deployed-by-ci: without the bootstrap stacks.
// Exit 0; 2 for bad usage or a REF git cannot compare with HEAD.

import { execFileSync } from "child_process";
import * as path from "path";
import { CommandIo, EXIT_OK, EXIT_USAGE, UsageError, parseArgs, runAsCli } from "./lib/cliArgs";
import { isBootstrapStack, localStacks, touchedStacks } from "./lib/stacks";

const USAGE = "usage: npm run -s stacks -- [--changed-since REF] [--deployed-by-ci]";
const ROOT = path.resolve(__dirname, "..");

/** Paths changed between the merge base of `ref` and HEAD, and HEAD (both sides of a rename). */
function changedFiles(ref: string, root: string): string[] {
    if (ref.startsWith("-")) throw new UsageError(`--changed-since ${ref}: not a git revision`);
    try {
        const out = execFileSync("git", ["diff", "--name-only", "--no-renames", `${ref}...HEAD`, "--"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return out.split("\n").filter(Boolean);
    } catch (e) {
        const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim().split("\n")[0];
        throw new UsageError(`--changed-since ${ref}: git cannot compare it with HEAD (${stderr || (e as Error).message}); a shallow clone needs fetch-depth: 0`);
    }
}

export async function main(argv: string[], io: CommandIo, root = ROOT): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--changed-since"], booleans: ["--deployed-by-ci", "--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nPrints the stacks (Pulumi.<stack>.yaml) as a JSON array, for a workflow's job matrix.\n`);
            return EXIT_OK;
        }
        if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional[0]} (${USAGE})`);
        let stacks = localStacks(root);
        if (args.booleans.has("--deployed-by-ci")) stacks = stacks.filter((s) => !isBootstrapStack(s));
        const ref = args.values["--changed-since"];
        if (ref !== undefined) stacks = touchedStacks(changedFiles(ref, root), stacks);
        io.stdout(JSON.stringify(stacks) + "\n");
        return EXIT_OK;
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.stderr(`stacks: ${e.message}\n`);
        return EXIT_USAGE;
    }
}

if (require.main === module) runAsCli(main);
