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

/** An environment variable that must hold an https base URL (no query or fragment); throws naming it otherwise. */
export function requireHttpsUrl(name: string, value: string): URL {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new Error(`${name} must be an https URL, got an unparsable value.`);
    }
    if (url.protocol !== "https:" || url.search !== "" || url.hash !== "" || url.username || url.password) {
        throw new Error(`${name} must be an https base URL without query, fragment or credentials.`);
    }
    return url;
}
