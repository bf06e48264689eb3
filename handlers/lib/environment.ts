/**
 * The named environment variables, all required. A missing one is a deployment bug, so this throws at cold start
 * with a message naming the function and every missing variable, instead of each request failing without a reason.
 */
export function requireEnvironment<const K extends string>(
    functionName: string,
    names: readonly K[],
    env: Record<string, string | undefined> = process.env,
): Record<K, string> {
    const missing = names.filter((name) => !env[name]?.trim());
    if (missing.length > 0) {
        throw new Error(
            `${functionName}: missing required environment variable(s) ${missing.join(", ")}; ` +
                "the function was deployed without its configuration.",
        );
    }
    return Object.fromEntries(names.map((name) => [name, env[name]!.trim()])) as Record<K, string>;
}
