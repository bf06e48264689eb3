// SigV4 checking for the local API's AWS_IAM routes: the signature is verified by signing the request again with
// the AWS SDK's own signer (@smithy/signature-v4) and comparing. Only the signature is checked: which principals an
// IAM policy would let invoke the route is not evaluated (every holder of the dev key pair may call it).

import { randomBytes, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

/** The dev key pair and who it stands for. */
export interface DevAwsIdentity {
    accessKeyId: string;
    secretAccessKey: string;
    /** The region requests are signed for (the credential scope's region). */
    region: string;
    /** The caller API Gateway reports for a valid signature: an assumed-role session of `roleArn`. */
    sessionArn: string;
    /** The role behind the session (the analysis handler's allow-list names it). */
    roleArn: string;
    accountId: string;
}

/** AWS's documented example account, never a real one. */
const DEV_ACCOUNT = "000000000000";
const DEV_ROLE = "swiftsupport-dev-reanalysis";

/** A key pair made for this run (printed at start), so no secret lives in the repository. */
export function devAwsIdentity(region: string): DevAwsIdentity {
    return {
        accessKeyId: `AKIADEV${randomBytes(7).toString("hex").toUpperCase().slice(0, 13)}`,
        secretAccessKey: randomBytes(30).toString("base64"),
        region,
        sessionArn: `arn:aws:sts::${DEV_ACCOUNT}:assumed-role/${DEV_ROLE}/dev-session`,
        roleArn: `arn:aws:iam::${DEV_ACCOUNT}:role/${DEV_ROLE}`,
        accountId: DEV_ACCOUNT,
    };
}

/** What the request carried, as the local API read it off the wire. */
export interface SignedRequest {
    method: string;
    /** The path as sent (percent-encoded), without the query. */
    path: string;
    query: URLSearchParams;
    /** Header names lower-cased, repeated values joined with `,`. */
    headers: Record<string, string>;
    body: Buffer;
}

/** Why a request was refused, with the message API Gateway answers with. */
export type SigV4Outcome = { ok: true } | { ok: false; message: string };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
/** API Gateway refuses a request whose x-amz-date is further than this from its clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;
const FORBIDDEN = "Forbidden";
const MISMATCH =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** Checks a request signed for `execute-api` with the dev key pair. */
export async function verifySigV4(request: SignedRequest, identity: DevAwsIdentity, now = new Date()): Promise<SigV4Outcome> {
    const authorization = request.headers.authorization;
    if (authorization === undefined || request.query.has("X-Amz-Signature")) {
        // Presigned URLs are not accepted by this stand-in; a missing signature is API Gateway's plain 403.
        return { ok: false, message: FORBIDDEN };
    }
    const m = AUTHORIZATION.exec(authorization);
    if (!m) return { ok: false, message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters." };
    const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = m;
    if (accessKeyId !== identity.accessKeyId) return { ok: false, message: "The security token included in the request is invalid." };
    if (service !== "execute-api" || region !== identity.region) {
        return { ok: false, message: `Credential should be scoped to a valid region and to execute-api (this dev API: ${identity.region}).` };
    }
    const amzDate = request.headers["x-amz-date"];
    const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
    if (!signingDate || amzDate!.slice(0, 8) !== scopeDate) return { ok: false, message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP." };
    if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) return { ok: false, message: "Signature expired: the request's x-amz-date is more than 5 minutes from the server's time." };

    const signedHeaders = signedHeaderList.split(";");
    if (!signedHeaders.includes("host")) return { ok: false, message: MISMATCH };
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
        const value = request.headers[name];
        if (value === undefined) return { ok: false, message: MISMATCH };
        headers[name] = value;
    }
    const query: Record<string, string | string[]> = {};
    for (const name of new Set(request.query.keys())) {
        const values = request.query.getAll(name);
        query[name] = values.length === 1 ? values[0] : values;
    }
    const signer = new SignatureV4({
        credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
        region: identity.region,
        service: "execute-api",
        sha256: Hash.bind(null, "sha256"),
        // The client chose whether to send x-amz-content-sha256; re-signing must not add it.
        applyChecksum: false,
    });
    let path: string;
    try {
        path = decodeURIComponent(request.path);
    } catch {
        return { ok: false, message: MISMATCH };
    }
    const resigned = await signer.sign(
        { method: request.method, protocol: "https:", hostname: headers.host, path, query, headers, body: request.body.length > 0 ? request.body : undefined },
        { signingDate, signableHeaders: new Set(signedHeaders) },
    );
    const expected = AUTHORIZATION.exec(resigned.headers.authorization ?? "")?.[6] ?? "";
    const same = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    const sameHeaders = AUTHORIZATION.exec(resigned.headers.authorization ?? "")?.[5] === signedHeaderList;
    return same && sameHeaders ? { ok: true } : { ok: false, message: MISMATCH };
}

/** `20261130T195000Z` as a Date, or undefined. */
function parseAmzDate(value: string): Date | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    if (!m) return undefined;
    const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    return Number.isNaN(date.getTime()) ? undefined : date;
}
