// The AWS SDK's SigV4 signer, which for a regional request is @smithy/signature-v4's SignatureV4. Taken from an
// @aws-sdk package so the Lambda runtime supplies it: bundling @smithy/signature-v4 itself adds 14 KB at best and
// 170 KB with esbuild's default resolution, past the handler's 50 KB budget.
import { SignatureV4MultiRegion } from "@aws-sdk/signature-v4-multi-region";
import { NodeSha256 } from "./nodeSha256";

/** Asks the analysis endpoint to analyse one ticket; rejects when the request fails or is refused. */
export type AnalysisTrigger = (ticketId: string) => Promise<void>;

type SignerCredentials = ConstructorParameters<typeof SignatureV4MultiRegion>[0]["credentials"];

export interface AnalysisTriggerOptions {
    /** Base URL of the HTTP API stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com` (a stage path may follow). */
    endpoint: URL;
    /** Region the API lives in; part of the signature's scope. */
    region: string;
    /** Credentials to sign with: in Lambda, the function role's, from the environment. */
    credentials: SignerCredentials;
    /** How long to wait for the endpoint, per attempt. */
    timeoutMs?: number;
    /** Pause before the one retry of a transient failure (timeout, network error, 429, 5xx). */
    retryDelayMs?: number;
}

/** Refused for good (4xx other than 429): retrying would get the same answer. */
class TriggerRefused extends Error {}

/** Short: the caller is answering a user, and a missed trigger only delays an analysis that can be re-run. */
const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_RETRY_DELAY_MS = 250;

/**
 * An `AnalysisTrigger` that calls `POST {endpoint}/tickets/{id}/analysis`, signed with SigV4 for `execute-api` so the
 * API's IAM authorizer admits it.
 */
export function createAnalysisTrigger(options: AnalysisTriggerOptions): AnalysisTrigger {
    const signer = new SignatureV4MultiRegion({
        service: "execute-api",
        region: options.region,
        credentials: options.credentials,
        sha256: NodeSha256,
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { protocol, hostname, port, host } = options.endpoint;
    const basePath = options.endpoint.pathname.replace(/\/+$/, "");

    const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;

    const attempt = async (ticketId: string): Promise<void> => {
        const path = `${basePath}/tickets/${encodeURIComponent(ticketId)}/analysis`;
        const signed = await signer.sign({
            method: "POST",
            protocol,
            hostname,
            port: port ? Number(port) : undefined,
            path,
            query: {},
            // `host` must be signed; fetch sends the same value from the URL.
            headers: { host },
        });
        const headers = { ...signed.headers };
        delete headers.host;
        const response = await fetch(`${protocol}//${host}${path}`, {
            method: "POST",
            headers,
            signal: AbortSignal.timeout(timeoutMs),
        });
        // The body is not needed; releasing it frees the connection.
        await response.body?.cancel();
        if (response.ok) return;
        const message = `analysis endpoint answered ${response.status}`;
        throw response.status === 429 || response.status >= 500 ? new Error(message) : new TriggerRefused(message);
    };

    // One retry: a cold analysis function or a throttled burst usually clears within a second, and the user is
    // still waiting for their 201, so no more than that.
    return async (ticketId) => {
        try {
            await attempt(ticketId);
        } catch (error) {
            if (error instanceof TriggerRefused) throw error;
            await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
            await attempt(ticketId);
        }
    };
}
