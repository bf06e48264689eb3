// Shared helpers for the benchmarks: clocks, percentiles and the one results table.

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Runs `fn` and returns its result with the wall time in ms. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
    const start = process.hrtime.bigint();
    const value = await fn();
    return { value, ms: msSince(start) };
}

/** The p-th percentile (0..100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank];
}

export const median = (values: number[]) => percentile(values, 50);

/** One row of the results table: what was measured, the figure, the goal and whether it was met. */
export interface Row {
    section: string;
    measure: string;
    value: string;
    goal?: string;
    met?: boolean;
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** The rows as a Markdown table (printed to stdout and written to RESULTS.md alike). */
export function table(rows: Row[]): string {
    const lines = ["| # | Measure | Value | Goal | Met |", "|---|---|---|---|---|"];
    for (const r of rows) {
        const met = r.met === undefined ? "" : r.met ? "yes" : "**no**";
        lines.push(`| ${r.section} | ${r.measure} | ${r.value} | ${r.goal ?? ""} | ${met} |`);
    }
    return lines.join("\n");
}
