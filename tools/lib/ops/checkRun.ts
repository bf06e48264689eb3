// One check of an operations command: a line with pass/fail and the evidence. A check that AWS refused is
// "no-access" with the missing permission by name; the command then exits 2 (after running every other check, so
// one run lists everything a policy lacks).

import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cliArgs";
import { AwsCallFailed, MissingPermission } from "./aws";

export type CheckStatus = "pass" | "fail" | "skip" | "no-access";

export interface CheckResult {
    /** Stable id, e.g. `function:status`, for scripts reading `--json`. */
    id: string;
    /** What is checked, in words. */
    title: string;
    status: CheckStatus;
    /** What was seen: the values that decided the status. */
    evidence: string;
    /** The IAM action that was denied (status `no-access`). */
    missingPermission?: string;
}

/** Runs one check; a denied call becomes `no-access`, another AWS failure a `fail` with the error as evidence. */
export async function runCheck(id: string, title: string, body: () => Promise<Omit<CheckResult, "id" | "title">>): Promise<CheckResult> {
    try {
        return { id, title, ...(await body()) };
    } catch (e) {
        if (e instanceof MissingPermission) return { id, title, status: "no-access", evidence: e.message, missingPermission: e.action };
        if (e instanceof AwsCallFailed) return { id, title, status: "fail", evidence: e.message };
        throw e; // no credentials (AwsSetupError) ends the command; anything else is a bug
    }
}

/** 2 when a permission was missing, else 1 when a check failed, else 0. */
export function exitCodeOf(results: { status: CheckStatus }[], otherProblems = false): number {
    if (results.some((r) => r.status === "no-access")) return EXIT_USAGE;
    return otherProblems || results.some((r) => r.status === "fail") ? EXIT_VIOLATIONS : EXIT_OK;
}

/** Every missing permission, once, sorted. */
export function missingPermissions(results: { missingPermission?: string }[]): string[] {
    return [...new Set(results.map((r) => r.missingPermission).filter((p): p is string => !!p))].sort();
}

const MARK: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", skip: "SKIP", "no-access": "DENY" };

/** `PASS  title: evidence`, one line per check, coloured on a terminal. */
export function renderCheckLine(r: CheckResult, color: boolean): string {
    const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
    const code = { pass: "32", fail: "31", skip: "2", "no-access": "33" }[r.status];
    return `${paint(code, MARK[r.status].padEnd(4))}  ${r.title}: ${r.evidence}`;
}

/** Progress on stderr: one redrawn line on a terminal, a line per step otherwise. */
export function progress(io: CommandIo, command: string) {
    return {
        step(text: string) {
            io.stderr(io.stderrIsTty ? `\r\x1b[2K${command}: ${text}` : `${command}: ${text}\n`);
        },
        done() {
            if (io.stderrIsTty) io.stderr("\r\x1b[2K");
        },
    };
}
