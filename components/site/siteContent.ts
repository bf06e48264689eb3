import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RuntimeConfig } from "../../site/src/runtimeConfig";
import { PrivateBucket } from "../storage/privateBucket";
import { SiteFile, siteFile } from "./build";

/** The key of the generated runtime config the page loads first. */
export const CONFIG_KEY = "config.json";

export interface SiteContentArgs {
    /** The private bucket the site distribution serves from; every file becomes one object in it. */
    bucket: PrivateBucket;
    /** The built site (`siteBuild().files`): index.html and hashed assets, each with its content type and caching. */
    files: readonly SiteFile[];
    /** The Auth0 issuer URL (`https://tenant.eu.auth0.com/`); config.json's `auth0Domain` is its host. */
    auth0Issuer: string;
    /** Client ID of the Auth0 Single Page Application the page signs in with. */
    clientId: string;
    /** The API's Auth0 audience, which the page requests access tokens for. */
    audience: string;
    /** Path of the API on the site's origin (the distribution's `/api/*` behaviour), e.g. `/api`. */
    apiBase: string;
}

/** config.json's content: what `site/src/runtimeConfig.ts` reads. Throws with the reason for a value it cannot use. */
export function runtimeConfig(args: Pick<SiteContentArgs, "auth0Issuer" | "clientId" | "audience" | "apiBase">): RuntimeConfig {
    let issuer: URL;
    try {
        issuer = new URL(args.auth0Issuer);
    } catch {
        throw new Error(`auth0Issuer "${args.auth0Issuer}" is not a URL`);
    }
    if (issuer.protocol !== "https:") throw new Error(`auth0Issuer "${args.auth0Issuer}" must be https`);
    // auth0-spa-js builds every tenant URL from the domain alone, so an issuer with a path could not be reached.
    if (issuer.pathname !== "/" || issuer.search || issuer.hash) throw new Error(`auth0Issuer "${args.auth0Issuer}" must be a tenant root such as https://tenant.eu.auth0.com/`);
    if (!/^\/[A-Za-z0-9._~-]+$/.test(args.apiBase)) throw new Error(`apiBase "${args.apiBase}" must be one path segment such as /api`);
    if (!args.clientId) throw new Error("clientId must not be empty");
    if (!args.audience) throw new Error("audience must not be empty");
    return { auth0Domain: issuer.host, clientId: args.clientId, audience: args.audience, apiBase: args.apiBase };
}

/**
 * The customer page in its bucket: one S3 object per built file, with its Content-Type and Cache-Control
 * (`index.html` and `config.json` revalidated on every use, hashed assets immutable), plus `config.json` generated
 * from stack config. Objects inherit the bucket's default encryption and owner-enforced ownership, so they are
 * created after both; a new build's assets have new names, so an update creates them and deletes the old ones.
 */
export class SiteContent extends pulumi.ComponentResource {
    /** The objects, by key. */
    readonly objects: Readonly<Record<string, aws.s3.BucketObjectv2>>;
    /** What config.json holds. */
    readonly config: RuntimeConfig;

    constructor(name: string, args: SiteContentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:site:SiteContent", name, {}, opts);
        try {
            this.config = runtimeConfig(args);
        } catch (e) {
            throw new pulumi.ResourceError(`SiteContent ${name}: ${(e as Error).message}`, this);
        }
        if (!args.files.some((f) => f.path === "index.html")) throw new pulumi.ResourceError(`SiteContent ${name}: the build has no index.html`, this);
        const files = [...args.files, siteFile(CONFIG_KEY, `${JSON.stringify(this.config, null, 2)}\n`)];
        const keys = files.map((f) => f.path);
        const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
        if (repeated.length > 0) throw new pulumi.ResourceError(`SiteContent ${name}: more than one file for ${[...new Set(repeated)].join(", ")}`, this);

        const objects: Record<string, aws.s3.BucketObjectv2> = {};
        for (const file of files) {
            objects[file.path] = new aws.s3.BucketObjectv2(
                `${name}-${file.path}`,
                {
                    bucket: args.bucket.bucket.id,
                    key: file.path,
                    content: file.content,
                    contentType: file.contentType,
                    cacheControl: file.cacheControl,
                },
                { parent: this, dependsOn: [args.bucket.ownershipControls, args.bucket.encryption] },
            );
        }
        this.objects = objects;
        this.registerOutputs({ keys });
    }
}
