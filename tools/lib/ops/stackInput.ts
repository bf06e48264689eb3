// What the operations commands know about a deployed stack: its resources from `pulumi stack export` and its outputs
// from `pulumi stack output --json`, read from files given on the command line, or from the Pulumi CLI when it is on
// PATH and no file is given. Resources are found by type, not by output name, so a renamed output breaks nothing.

import { execFileSync } from "child_process";
import * as fs from "fs";
import { UsageError } from "../cliArgs";
import { RunnerResource } from "../packRunner";
import { StackFileError, parseStackDocument, readStackFile } from "../stackFile";

export interface DeployedStack {
    /** The stack name (from the export's URNs, else the one asked for). */
    name: string;
    resources: RunnerResource[];
    /** `pulumi stack output --json`, or `{}` when not given. */
    outputs: Record<string, unknown>;
    /** Where it came from, for the report. */
    source: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A resource property from its outputs (what AWS assigned), else its inputs. */
export function prop(r: RunnerResource, key: string): unknown {
    const out = r.outputs?.[key];
    return out !== undefined && out !== null && out !== "" ? out : r.props[key];
}

/** A string property, or undefined. */
export function str(r: RunnerResource, key: string): string | undefined {
    const v = prop(r, key);
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** The stack's resources of one Pulumi type token. */
export function ofType(stack: { resources: RunnerResource[] }, type: string): RunnerResource[] {
    return stack.resources.filter((r) => r.type === type);
}

/** Whether `pulumi` can be run (on PATH); tests pass false through the command options. */
export function pulumiOnPath(): boolean {
    try {
        execFileSync("pulumi", ["version"], { stdio: "ignore", timeout: 20_000 });
        return true;
    } catch {
        return false;
    }
}

function readJson(file: string, flag: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(code === "ENOENT" ? `${flag} ${file}: no such file` : `${flag} ${file}: cannot read (${code})`);
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UsageError(`${flag} ${file}: invalid JSON (${(e as Error).message})`);
    }
}

export interface StackFiles {
    /** `pulumi stack export` file. */
    exportFile?: string;
    /** `pulumi stack output --json` file. */
    outputsFile?: string;
    /** Run the Pulumi CLI when no export file is given (true when `pulumi` is on PATH). */
    useCli: boolean;
    /** The flag that names the export, for messages (`--export`, `--org-export`). */
    exportFlag: string;
}

/**
 * Loads stack `name` from the files given, or through the CLI. A file of another stack is refused: checking the
 * wrong account's resources would report a healthy stack that is not the one asked about.
 */
export function loadStack(name: string, files: StackFiles): DeployedStack {
    let resources: RunnerResource[];
    let found: string | undefined;
    let source: string;
    if (files.exportFile !== undefined) {
        try {
            const file = readStackFile(files.exportFile);
            if (file.format !== "stack export") throw new UsageError(`${files.exportFlag} ${files.exportFile}: a preview, not a \`pulumi stack export\``);
            resources = file.resources;
            found = file.stack;
        } catch (e) {
            if (e instanceof StackFileError) throw new UsageError(`${files.exportFlag} ${e.message}`);
            throw e;
        }
        source = files.exportFile;
    } else if (files.useCli) {
        const text = runPulumi(["stack", "export", "--stack", name]);
        try {
            const file = parseStackDocument(JSON.parse(text));
            resources = file.resources;
            found = file.stack;
        } catch (e) {
            throw new UsageError(`pulumi stack export --stack ${name}: ${(e as Error).message}`);
        }
        source = `pulumi stack export --stack ${name}`;
    } else {
        throw new UsageError(
            `stack ${name}: give ${files.exportFlag} FILE (from \`pulumi stack export --stack ${name} > ${name}.json\`), or install the Pulumi CLI`,
        );
    }
    if (found !== undefined && found !== name) {
        throw new UsageError(`${source}: is stack "${found}", not "${name}"`);
    }
    if (resources.length === 0) throw new UsageError(`stack ${name} (${source}) has no resources: deploy it first`);

    let outputs: Record<string, unknown> = {};
    if (files.outputsFile !== undefined) {
        const doc = readJson(files.outputsFile, "--outputs");
        if (!isObject(doc)) throw new UsageError(`--outputs ${files.outputsFile}: not the JSON object \`pulumi stack output --json\` prints`);
        outputs = doc;
    } else if (files.exportFile === undefined && files.useCli) {
        const doc = JSON.parse(runPulumi(["stack", "output", "--json", "--stack", name]));
        if (isObject(doc)) outputs = doc;
    }
    return { name, resources, outputs, source };
}

function runPulumi(args: string[]): string {
    try {
        return execFileSync("pulumi", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const stderr = String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim().split("\n")[0];
        throw new UsageError(`pulumi ${args.join(" ")} failed: ${stderr}`);
    }
}

/** The account id of the stack: its `accountId` output, else the account in its IAM role ARNs. */
export function accountOf(stack: DeployedStack): string | undefined {
    if (typeof stack.outputs.accountId === "string") return stack.outputs.accountId;
    for (const r of stack.resources) {
        const arn = str(r, "arn");
        const m = arn && /^arn:[\w-]+:iam::(\d{12}):role\//.exec(arn);
        if (m) return m[1];
    }
    return undefined;
}

/** A JSON policy document property as an object (exports hold them as JSON strings). */
export function policyDocument(value: unknown): Record<string, unknown> | undefined {
    if (typeof value === "string") {
        try {
            const doc = JSON.parse(value);
            return isObject(doc) ? doc : undefined;
        } catch {
            return undefined;
        }
    }
    return isObject(value) ? value : undefined;
}
