// Runs the offline commands as the README does, as child processes (exit codes and stdout purity are the promise),
// without npm's overhead: node with ts-node's transpile-only register, from the repository root.

import { execFile } from "child_process";
import * as path from "path";
import { CommandIo } from "../../tools/lib/cliArgs";

export const ROOT = path.resolve(__dirname, "..", "..");
export const fixture = (name: string) => path.join("test", "fixtures", "tools", name);

export interface Ran {
    code: number;
    stdout: string;
    stderr: string;
}

function spawnWith(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    return new Promise((resolve) => {
        execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
            resolve({ code, stdout, stderr });
        });
    });
}

/** `node -r ts-node/register/transpile-only tools/<tool>.ts ...args`. */
export function runTool(tool: "plan" | "check", args: string[], env?: NodeJS.ProcessEnv): Promise<Ran> {
    return spawnWith(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("tools", `${tool}.ts`), ...args], env);
}

/** `npm run -s <script> -- ...args`, exactly as documented. */
export function runNpm(script: string, args: string[]): Promise<Ran> {
    return spawnWith("npm", ["run", "-s", script, "--", ...args]);
}

/** An in-process CommandIo that collects what a command writes. */
export function collectingIo(): CommandIo & { out: string; err: string } {
    const io = {
        out: "",
        err: "",
        color: false,
        stderrIsTty: false,
        stdout(t: string) {
            io.out += t;
        },
        stderr(t: string) {
            io.err += t;
        },
    };
    return io;
}

/** One line on stderr, no stack trace. */
export function isOneCleanLine(stderr: string): boolean {
    const lines = stderr.trimEnd().split("\n");
    return lines.length === 1 && !/\n\s+at |\.ts:\d+/.test(stderr);
}
