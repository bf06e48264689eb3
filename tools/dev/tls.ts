import { generate } from "selfsigned";

/** A certificate for https://127.0.0.1, made at start-up and never written to disk. */
export interface DevCertificate {
    key: string;
    cert: string;
    /** SHA-1 fingerprint, printed so a person can compare it with what the browser shows. */
    fingerprint: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A self-signed certificate for 127.0.0.1 (an IP literal: browsers keep no HSTS state for IP addresses, so the
 * policy's HSTS header cannot pin a developer's `localhost` to https). P-256, valid for a week from a minute ago.
 */
export async function devCertificate(): Promise<DevCertificate> {
    const notBeforeDate = new Date(Date.now() - 60_000);
    const pems = await generate([{ name: "commonName", value: "SwiftSupport dev server (127.0.0.1)" }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate,
        notAfterDate: new Date(notBeforeDate.getTime() + 7 * DAY_MS),
        extensions: [
            { name: "basicConstraints", cA: false },
            { name: "keyUsage", digitalSignature: true, critical: true },
            { name: "extKeyUsage", serverAuth: true },
            { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
        ],
    });
    return { key: pems.private, cert: pems.cert, fingerprint: pems.fingerprint };
}
