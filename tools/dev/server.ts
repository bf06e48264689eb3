// `npm run dev`'s server: one HTTPS origin on 127.0.0.1 that is the site (with the distribution's security headers),
// the API under /api (the real handlers behind local authorizers), and the token issuer; the handlers run on
// dynalite with a stand-in for the table's stream. tools/dev.ts is the command around it.

import * as fs from "node:fs";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createLocalJWKSet } from "jose";
import { API_CORS } from "../../components/api/apiCors";
import { STREAM_TRIGGER_DEFAULTS } from "../../components/function/streamTriggerDefaults";
import { contentSecurityPolicy, securityHeaderValues } from "../../components/edge/securityHeaders";
import { REANALYSIS_ROLES_VARIABLE } from "../../handlers/lib/rolePrincipal";
import { NEW_TICKET_FILTERS } from "../../programs/analysisStream";
import { siteFile } from "../../components/site/build";
import type { RuntimeConfig } from "../../site/src/runtimeConfig";
import { API_STAGE, ROUTES, type RouteHandler } from "../../programs/routes";
import { LocalHttpApi, type LambdaHandler } from "./httpApi";
import { DevIssuer, type IssuerIdentity } from "./issuer";
import { startLocalTable, type LocalTable } from "./localTable";
import { devAwsIdentity, type DevAwsIdentity } from "./sigV4";
import { devCertificate } from "./tls";

export interface DevServerOptions {
    /** TCP port on 127.0.0.1; 0 picks a free one. */
    port: number;
    /** The built site (`npm run build:site` writes dist/site). */
    siteDir: string;
    /** Lifetime of the issuer's access and ID tokens, in seconds. */
    tokenLifetimeSeconds: number;
    /** Where handler logs and stand-in notices go (stdout/stderr in the command). */
    log: (line: string) => void;
}

export interface DevServer {
    /** `https://127.0.0.1:PORT` */
    origin: string;
    issuer: IssuerIdentity;
    /** The security headers every site and API response carries (the distribution's policy). */
    securityHeaders: Record<string, string>;
    /** The key pair the AWS_IAM route accepts, and the region and caller it stands for. */
    aws: DevAwsIdentity;
    /** The site's `/config.json`. */
    siteConfig: SiteConfig;
    /** Resolves once the stream stand-in delivered every record so far. */
    drained(): Promise<void>;
    close(): Promise<void>;
}

/** The site's runtime configuration (`/config.json`): the page's own contract. */
export type SiteConfig = RuntimeConfig;

/** A problem with the dev command's input or environment, reported in one line (exit 2). */
export class DevSetupError extends Error {}

/**
 * Where `npm run build:site` writes the site. This file is two folders below the root, as is the bundle tools/cli.js
 * runs (.build/tools/), so the path holds for both.
 */
export const DEFAULT_SITE_DIR = path.resolve(__dirname, "..", "..", "dist", "site");

/** The region the handlers' SDK and SigV4 use locally. */
const DEV_REGION = "eu-west-1";
const TABLE_NAME = "swiftsupport-dev-tickets";
const MAX_BODY_BYTES = 10 * 1024 * 1024 + 1;

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
    const siteDir = path.resolve(options.siteDir);
    if (!fs.existsSync(path.join(siteDir, "index.html"))) {
        throw new DevSetupError(`the site is not built: ${path.relative(process.cwd(), path.join(siteDir, "index.html")) || siteDir} is missing (run npm run build:site)`);
    }
    const certificate = await devCertificate();
    const server = https.createServer({ key: certificate.key, cert: certificate.cert });
    const port = await new Promise<number>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
            reject(error.code === "EADDRINUSE" ? new DevSetupError(`port ${options.port} is in use (choose another with --port)`) : error.code === "EACCES" ? new DevSetupError(`port ${options.port} needs privileges this user lacks (choose one above 1023)`) : error),
        );
        server.listen(options.port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
    const origin = `https://127.0.0.1:${port}`;

    try {
        const issuer = await DevIssuer.create({ origin, tokenLifetimeSeconds: options.tokenLifetimeSeconds });
        const aws = devAwsIdentity(DEV_REGION);
        // The policy's headers, built by the function the distribution uses, for the connect origins the program
        // passes (its issuer; here, this server).
        const securityHeaders = securityHeaderValues(contentSecurityPolicy([issuer.identity.issuer]));
        const siteConfig: SiteConfig = { auth0Domain: origin, clientId: issuer.identity.clientId, audience: issuer.identity.audience, apiBase: `/${API_STAGE}` };

        // The stream invokes the analysis handler only after a write, so only once `loaded` is set below.
        const table = await startLocalTable(TABLE_NAME, DEV_REGION, {
            filters: NEW_TICKET_FILTERS,
            batchSize: STREAM_TRIGGER_DEFAULTS.batchSize,
            maximumRetryAttempts: STREAM_TRIGGER_DEFAULTS.maximumRetryAttempts,
            invoke: (event: DynamoDBStreamEvent) => loaded.analysis(event) as Promise<DynamoDBBatchResponse>,
            onFailure: (message) => options.log(`dev: analysis stream: ${message} (in AWS: sent to the analysis failure queue)`),
        });
        const loaded = loadHandlers(table, aws);

        const api = new LocalHttpApi({
            stage: API_STAGE,
            routes: Object.values(ROUTES).map((route) => ({ ...route, invoke: loaded[route.handler] })),
            jwt: { issuer: issuer.identity.issuer, audience: issuer.identity.audience, keys: createLocalJWKSet(issuer.jwks()) },
            iam: aws,
            cors: { ...API_CORS, allowMethods: API_CORS.defaultMethods, allowOrigins: [origin] },
        });

        server.on("request", (req: IncomingMessage, res: ServerResponse) => {
            void serve(req, res).catch((error: unknown) => {
                options.log(`dev: ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
                if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
                res.end("internal error in the dev server");
            });
        });

        const serve = async (req: IncomingMessage, res: ServerResponse) => {
            const url = new URL(req.url ?? "/", origin);
            const body = await readBody(req);
            if (api.handles(url.pathname)) {
                // /api/* is a distribution behaviour too: the response headers policy applies there as well.
                const writeHead = res.writeHead.bind(res);
                res.writeHead = ((status: number, headers?: Record<string, string>) => writeHead(status, { ...headers, ...securityHeaders })) as typeof res.writeHead;
                return api.handle(req, res, url, body);
            }
            if (issuer.handles(url.pathname)) return issuer.handle(req, res, url, body);
            return serveSite(req, res, url, siteDir, siteConfig, securityHeaders);
        };

        return {
            origin,
            issuer: issuer.identity,
            securityHeaders,
            aws,
            siteConfig,
            drained: () => table.drained(),
            close: async () => {
                server.closeAllConnections();
                await new Promise<void>((resolve) => server.close(() => resolve()));
                await table.stop();
            },
        };
    } catch (error) {
        server.close();
        throw error;
    }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            // Past API Gateway's payload limit the rest is not kept; the API answers 413 on the length alone.
            if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

/**
 * The site as the distribution serves it from the private bucket: `/` is `index.html` (the default root object),
 * other paths are objects by their key, and a key that does not exist is S3's 403 (the distribution may not list
 * the bucket). `/config.json` is this server's own, for its issuer.
 */
function serveSite(req: IncomingMessage, res: ServerResponse, url: URL, siteDir: string, config: SiteConfig, headers: Record<string, string>): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(403, { ...headers, "content-type": "text/plain" });
        res.end("This distribution is not configured to allow the HTTP request method that was used for this request.");
        return;
    }
    const send = (status: number, objectHeaders: Record<string, string>, body: Buffer | string) => {
        res.writeHead(status, { ...objectHeaders, ...headers });
        res.end(req.method === "HEAD" ? undefined : body);
    };
    // Each object with the Content-Type and Cache-Control the site's upload gives it (components/site/build.ts).
    const object = (key: string, body: string) => {
        const file = siteFile(key, body);
        send(200, { "content-type": file.contentType, "cache-control": file.cacheControl }, body);
    };
    if (url.pathname === "/config.json") return object("config.json", JSON.stringify(config));
    let key: string;
    try {
        key = url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname.slice(1));
    } catch {
        key = "";
    }
    const file = path.resolve(siteDir, key);
    const inside = key !== "" && file.startsWith(siteDir + path.sep);
    if (inside && isUploaded(file, key)) return object(key, fs.readFileSync(file, "utf8"));
    send(403, { "content-type": "application/xml" }, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`);
}

/** Whether the site's upload makes an object of this file: only the kinds of file it knows (siteFile throws for others). */
function isUploaded(file: string, key: string): boolean {
    try {
        return fs.statSync(file).isFile() && siteFile(key, "").contentType !== "";
    } catch {
        return false;
    }
}

/* eslint-disable @typescript-eslint/no-require-imports -- each is loaded only after its environment is set, as Lambda's init does */
/** Every handler a route names, by its module; a route's new handler fails the type-check until it is added here. */
const HANDLER_MODULES: Record<RouteHandler, () => { handler: LambdaHandler }> = {
    submit: () => require("../../handlers/submit"),
    status: () => require("../../handlers/status"),
    list: () => require("../../handlers/list"),
    analysis: () => require("../../handlers/analysis"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The real handler modules, loaded as Lambda loads them: their environment set first (each builds its `handler`
 * at import, reading TABLE_NAME and the allow-list), pointed at the local table.
 */
function loadHandlers(table: LocalTable, aws: DevAwsIdentity): Record<RouteHandler, LambdaHandler> {
    Object.assign(process.env, {
        TABLE_NAME: table.tableName,
        AWS_REGION: table.region,
        AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
        // The handlers' own credentials: dynalite needs some, and they must never be a developer's real ones.
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        [REANALYSIS_ROLES_VARIABLE]: aws.roleArn,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    return Object.fromEntries(Object.entries(HANDLER_MODULES).map(([name, load]) => [name, load().handler])) as Record<RouteHandler, LambdaHandler>;
}
