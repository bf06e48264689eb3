// `npm run dev -- [--port PORT] [--site DIR] [--token-lifetime SECONDS]`: the whole request flow on this machine
// until stopped (Ctrl-C or SIGTERM): the built site with the distribution's security headers, the API's routes on the
// real handlers behind local authorizers, a local token issuer, dynalite and a stand-in for the table's stream.
// Exit 0 when stopped, 2 for bad input (a bad or busy port, the site not built), one line on stderr.

import { CommandIo, EXIT_OK, EXIT_USAGE, UsageError, parseArgs, runAsCli } from "./lib/cliArgs";
import { DEFAULT_SITE_DIR, DevSetupError, startDevServer } from "./dev/server";

const USAGE = "usage: npm run dev -- [--port PORT] [--site DIR] [--token-lifetime SECONDS]";
const DEFAULT_PORT = 8443;
const DEFAULT_TOKEN_LIFETIME = 3600;

function integerFlag(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
    return Number(value);
}

export async function main(argv: string[], io: CommandIo, stopped?: Promise<unknown>): Promise<number> {
    let server;
    try {
        const args = parseArgs(argv, { values: ["--port", "--site", "--token-lifetime"], booleans: ["--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(
                `${USAGE}\nServes https://127.0.0.1:PORT (default ${DEFAULT_PORT}; 0 picks a free port) until Ctrl-C, the site from DIR ` +
                    `(default ${DEFAULT_SITE_DIR}), tokens valid for SECONDS (default ${DEFAULT_TOKEN_LIFETIME}). See README, "Run it locally".\n`,
            );
            return EXIT_OK;
        }
        if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (${USAGE})`);
        server = await startDevServer({
            port: integerFlag(args.values["--port"], "--port", DEFAULT_PORT, 0, 65535),
            siteDir: args.values["--site"] ?? DEFAULT_SITE_DIR,
            tokenLifetimeSeconds: integerFlag(args.values["--token-lifetime"], "--token-lifetime", DEFAULT_TOKEN_LIFETIME, 60, 86_400),
            log: (line) => io.stderr(`${line}\n`),
        });
    } catch (e) {
        if (e instanceof UsageError || e instanceof DevSetupError) {
            io.stderr(`dev: ${e.message}\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
    const { origin, issuer, aws } = server;
    io.stdout(
        [
            `SwiftSupport dev server: ${origin}/  (self-signed certificate for 127.0.0.1: accept it once in your browser)`,
            `  site      ${origin}/            config ${origin}/config.json`,
            `  api       ${origin}/api/...     routes from programs/routes.ts`,
            `  issuer    ${issuer.issuer}      client ${issuer.clientId}, audience ${issuer.audience}`,
            `  token     curl -sk -X POST ${origin}/.dev/token -H 'content-type: application/json' -d '{"sub":"alice"}'`,
            `  sigv4     AWS_ACCESS_KEY_ID=${aws.accessKeyId} AWS_SECRET_ACCESS_KEY=${aws.secretAccessKey} AWS_REGION=${aws.region} (service execute-api; caller ${aws.sessionArn})`,
            `Ready. Ctrl-C stops.`,
            "",
        ].join("\n"),
    );
    await (stopped ?? new Promise((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    }));
    await server.close();
    io.stderr("dev: stopped\n");
    return EXIT_OK;
}

if (require.main === module) runAsCli(main);
