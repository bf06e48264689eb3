/**
 * Runs `action` while recording what is written to stdout and stderr (where the Powertools logger prints), so a
 * test can check what a handler logs. The output is echoed afterwards only if the action throws, to help debugging.
 */
export async function captureLogs<T>(action: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const streams = [process.stdout, process.stderr];
    const writes = streams.map((stream) => stream.write);
    for (const stream of streams) {
        stream.write = ((chunk: string | Uint8Array) => {
            lines.push(...chunk.toString().split("\n").filter((line) => line.trim() !== ""));
            return true;
        }) as typeof stream.write;
    }
    let failed = false;
    try {
        return { result: await action(), lines };
    } catch (error) {
        failed = true;
        throw error;
    } finally {
        streams.forEach((stream, i) => (stream.write = writes[i]));
        if (failed) lines.forEach((line) => process.stderr.write(`${line}\n`));
    }
}

/** Each captured line parsed as a JSON log record (a line that is not JSON fails the test). */
export function logRecords(lines: string[]): Record<string, unknown>[] {
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}
