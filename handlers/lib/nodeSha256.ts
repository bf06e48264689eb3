import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

type SourceData = string | ArrayBuffer | ArrayBufferView;

/**
 * SHA-256 and HMAC-SHA-256 in the shape the SigV4 signer expects (`new (secret?) => Checksum`), on Node's native
 * crypto: the pure-JS @aws-crypto/sha256-js does the same work slower and adds ~6 KB to the bundle.
 */
export class NodeSha256 {
    private hash: Hash | Hmac;

    constructor(private readonly secret?: SourceData) {
        this.hash = this.start();
    }

    update(data: SourceData): void {
        this.hash.update(toBytes(data));
    }

    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
    }

    reset(): void {
        this.hash = this.start();
    }

    private start(): Hash | Hmac {
        return this.secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(this.secret));
    }
}

function toBytes(data: SourceData): string | Uint8Array {
    if (typeof data === "string") return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
