// Argument parsing and the exit-code convention shared by `plan` and `check`: 0 no mandatory violation,
// 1 a mandatory violation remains, 2 a usage or input error (one line on stderr, never a stack trace).

import { closest, distance } from "fastest-levenshtein";
import * as fs from "fs";
import { ParseArgsConfig, parseArgs as parseArgsStrict } from "util";
import { PackConfig } from "./packRunner";
import { jsonError } from "./stackFile";

export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;
/** A bug in the tool, not in its input: the only case that prints a stack trace. */
export const EXIT_INTERNAL = 3;

/** A problem with what the user passed; its message is printed as is. */
export class UsageError extends Error {}

/** Where a command writes; tests pass collectors, the CLI passes the process streams. */
export interface CommandIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Whether stdout may carry colour (a terminal, NO_COLOR unset). */
    color: boolean;
    /** Whether stderr is a terminal (progress redraws one line there). */
    stderrIsTty: boolean;
}

export interface FlagSpec {
    /** Flags taking a value, e.g. `--stack`. */
    values: string[];
    /** Flags without a value, e.g. `--json`. */
    booleans: string[];
}

export interface ParsedArgs {
    values: Record<string, string>;
    booleans: Set<string>;
    positional: string[];
}

/** ` (did you mean --json?)` for a flag close to a known one. */
function didYouMean(flag: string, known: string[]): string {
    if (known.length === 0) return "";
    const best = closest(flag, known);
    return distance(flag, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean ${best}?)` : "";
}

/** Parses `--flag value`, `--flag=value` and positionals (node's util.parseArgs); unknown or incomplete flags are UsageErrors. */
export function parseArgs(argv: string[], spec: FlagSpec, usage: string): ParsedArgs {
    const options: ParseArgsConfig["options"] = {};
    for (const flag of spec.values) options[flag.replace(/^--/, "")] = { type: "string" };
    for (const flag of spec.booleans) options[flag.replace(/^--/, "")] = { type: "boolean" };
    let parsed: ReturnType<typeof parseArgsStrict>;
    try {
        parsed = parseArgsStrict({ args: argv, options, strict: true, allowPositionals: true });
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const flag = /'(-[^' ]+)/.exec((e as Error).message)?.[1] ?? "";
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${flag}${didYouMean(flag, [...spec.values, ...spec.booleans])} (${usage})`);
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            throw new UsageError(spec.booleans.includes(flag) ? `${flag} takes no value (${usage})` : `${flag} needs a value (${usage})`);
        }
        throw e;
    }
    const result: ParsedArgs = { values: {}, booleans: new Set(), positional: parsed.positionals };
    for (const [name, value] of Object.entries(parsed.values)) {
        const flag = `--${name}`;
        if (typeof value === "string") {
            if (value === "") throw new UsageError(`${flag} needs a value (${usage})`);
            result.values[flag] = value;
        } else if (value === true) {
            result.booleans.add(flag);
        }
    }
    return result;
}

/** Reads a `--policy-pack-config` file: the same JSON the Pulumi CLI takes. */
export function readPackConfig(file: string | undefined): PackConfig {
    if (file === undefined) return {};
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(code === "ENOENT" ? `--policy-pack-config ${file}: no such file` : `--policy-pack-config ${file}: cannot read (${code})`);
    }
    let config: unknown;
    try {
        config = JSON.parse(text);
    } catch (e) {
        throw new UsageError(`--policy-pack-config ${file}: invalid JSON (${jsonError(e as Error)})`);
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new UsageError(`--policy-pack-config ${file}: must be a JSON object of policy name -> level or config`);
    }
    return config as PackConfig;
}

/** The process's own streams. */
export function processIo(): CommandIo {
    return {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        color: !!process.stdout.isTTY && !(process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== ""),
        stderrIsTty: !!process.stderr.isTTY,
    };
}

/** Runs a command's main as the process entry point: its result is the exit code. */
export function runAsCli(main: (argv: string[], io: CommandIo) => Promise<number>): void {
    const io = processIo();
    main(process.argv.slice(2), io).then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            io.stderr(`internal error (a bug in the tool, not in your input): ${(e as Error)?.stack ?? e}\n`);
            process.exitCode = EXIT_INTERNAL;
        },
    );
}
