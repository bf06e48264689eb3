import { spawn, type ChildProcess } from "node:child_process";
import * as https from "node:https";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** A running `npm run dev` (the CLI, as a person starts it), read from what it prints. */
export interface RunningDev {
    origin: string;
    /** The dev key pair it printed for the AWS_IAM route. */
    aws: { accessKeyId: string; secretAccessKey: string; region: string };
    /** Everything printed on stdout and stderr so far (handler logs, stand-in notices). */
    output(): string;
    /** SIGTERM, then the exit code. */
    stop(): Promise<number | null>;
}

/** The command's result when it exits by itself (bad input). */
export interface DevExit {
    code: number | null;
    stdout: string;
    stderr: string;
}

function command(args: string[]): ChildProcess {
    return spawn(process.execPath, [path.join(ROOT, "tools", "cli.js"), "dev", ...args], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NO_COLOR: "1" },
    });
}

/** Starts the dev command and resolves once it printed its URL (or rejects with what it printed if it exits). */
export function startDev(args: string[], timeoutMs = 60_000): Promise<RunningDev> {
    const child = command(args);
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`npm run dev did not get ready in ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`npm run dev exited (${code}) before it was ready:\n${out}`));
        });
        const check = () => {
            const origin = /^SwiftSupport dev server: (https:\/\/127\.0\.0\.1:\d+)\//m.exec(out)?.[1];
            const keys = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_REGION=(\S+)/.exec(out);
            if (!origin || !keys || !/^Ready\./m.test(out)) return;
            clearTimeout(timer);
            child.stdout!.off("data", check);
            resolve({
                origin,
                aws: { accessKeyId: keys[1], secretAccessKey: keys[2], region: keys[3] },
                output: () => out,
                stop: () => {
                    child.kill("SIGTERM");
                    return exited;
                },
            });
        };
        child.stdout!.on("data", check);
    });
}

/** Runs the dev command expecting it to exit by itself. */
export function runDev(args: string[]): Promise<DevExit> {
    const child = command(args);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    return new Promise((resolve) =>
        child.once("exit", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        }),
    );
}

export interface Answer {
    status: number;
    headers: Record<string, string>;
    text: string;
    /** The body as JSON (throws if it is not). */
    json(): Record<string, unknown> & { [key: string]: unknown };
}

/** One HTTPS request to the dev server, accepting its self-signed certificate (the only one it trusts). */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const req = https.request(url, { method: init.method ?? "GET", headers: init.headers, rejectUnauthorized: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
                resolve({ status: res.statusCode ?? 0, headers, text, json: () => JSON.parse(text) });
            });
        });
        req.on("error", reject);
        req.end(init.body);
    });
}

/** An access token for `sub` from the dev issuer's test endpoint. */
export async function devToken(origin: string, sub: string, expiresIn?: number): Promise<string> {
    const answer = await request(`${origin}/.dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(expiresIn === undefined ? { sub } : { sub, expiresIn }),
    });
    if (answer.status !== 200) throw new Error(`/.dev/token answered ${answer.status}: ${answer.text}`);
    return answer.json().access_token as string;
}
