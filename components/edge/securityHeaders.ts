import type * as aws from "@pulumi/aws";

/**
 * The security headers every site response carries, written once: the distribution's response headers policy is
 * built from them, and `npm run dev` serves the same values (one source of truth for both).
 */

/** CloudFront's limit on a Content-Security-Policy value in a response headers policy. */
export const CSP_MAX_LENGTH = 1783;

/** Two years: above the one year HSTS preload lists require. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

const FRAME_OPTION = "DENY";
const REFERRER_POLICY = "strict-origin-when-cross-origin";

/** The CSP every response carries: same-origin everything, plus the given https origins for fetch/XHR (e.g. the Auth0 tenant). */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
    const origins = connectOrigins.map((o) => {
        let url: URL;
        try {
            url = new URL(o);
        } catch {
            throw new Error(`connectOrigins: "${o}" is not a URL`);
        }
        if (url.protocol !== "https:") throw new Error(`connectOrigins: "${o}" must be https`);
        return url.origin;
    });
    const csp = [
        "default-src 'self'",
        "img-src 'self' data:",
        ["connect-src 'self'", ...new Set(origins)].join(" "),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ].join("; ");
    if (csp.length > CSP_MAX_LENGTH) {
        throw new Error(`the Content-Security-Policy is ${csp.length} characters; CloudFront allows ${CSP_MAX_LENGTH}`);
    }
    return csp;
}

/** The response headers policy's security headers, every one overriding what the origin sends. */
export function securityHeadersConfig(csp: string): aws.types.input.cloudfront.ResponseHeadersPolicySecurityHeadersConfig {
    return {
        strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: FRAME_OPTION, override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY, override: true },
    };
}

/** The same headers as HTTP response headers, as CloudFront writes them onto a viewer response. */
export function securityHeaderValues(csp: string): Record<string, string> {
    return {
        "strict-transport-security": `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`,
        "content-security-policy": csp,
        "x-content-type-options": "nosniff",
        "x-frame-options": FRAME_OPTION,
        "referrer-policy": REFERRER_POLICY,
    };
}
