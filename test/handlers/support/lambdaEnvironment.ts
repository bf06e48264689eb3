/**
 * The settings a deployed handler module reads when it is loaded. Each handler builds its `handler` export at import,
 * as Lambda does at cold start, so tests import this module before any handler.
 */
export const TEST_ENVIRONMENT = {
    TABLE_NAME: "tickets-under-test",
    REANALYSIS_ROLE_ARNS: "",
    AWS_REGION: "eu-west-1",
} as const;

for (const [name, value] of Object.entries(TEST_ENVIRONMENT)) process.env[name] ??= value;

/**
 * Loads a fresh copy of a handler module (by resolved path) under exactly `env` for the variables in TEST_ENVIRONMENT, then puts
 * the environment back, so a test can watch a cold start without disturbing the copy other tests use.
 */
export function loadColdStart(resolved: string, env: Partial<Record<keyof typeof TEST_ENVIRONMENT, string>>): unknown {
    const saved = Object.fromEntries(Object.keys(TEST_ENVIRONMENT).map((name) => [name, process.env[name]]));
    const cached = require.cache[resolved];
    delete require.cache[resolved];
    try {
        for (const name of Object.keys(TEST_ENVIRONMENT)) delete process.env[name];
        Object.assign(process.env, env);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load of a computed path, after the cache entry is dropped
        return require(resolved);
    } finally {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
        if (cached) require.cache[resolved] = cached;
        else delete require.cache[resolved];
    }
}
