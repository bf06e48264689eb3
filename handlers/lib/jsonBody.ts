import { ApiError } from "./apiError";
import { header } from "./httpHeader";

/** The parts of an HTTP API (payload v2.0) event that carry the body. */
interface EventWithBody {
    headers?: Record<string, string | undefined>;
    body?: string;
    isBase64Encoded: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** `application/json` or any `application/<x>+json`, parameters such as charset allowed. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The request body parsed as JSON, refusing with 4xx anything that is not: a missing or non-JSON content type (415),
 * an empty body, bad base64 or UTF-8, or malformed JSON (400), and a decoded body over `maxBytes` (413). Base64 too
 * long to decode to an acceptable size is refused before it is decoded.
 */
export function readJsonBody(event: EventWithBody, maxBytes: number): unknown {
    const contentType = header(event.headers, "content-type");
    // Stryker disable next-line ConditionalExpression: RegExp.test(undefined) tests "undefined", which is no media type either
    if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) {
        throw new ApiError(415, "unsupported_media_type", "The body must be sent as application/json.");
    }
    const raw = event.body ?? "";
    const bytes = event.isBase64Encoded ? decodeBase64(raw, maxBytes) : encodeUtf8(raw, maxBytes);
    if (bytes.length === 0) throw new ApiError(400, "empty_body", "The request needs a JSON body.");

    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
        throw new ApiError(400, "invalid_encoding", "The body must be UTF-8 text.");
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        throw new ApiError(400, "invalid_json", "The body is not valid JSON.");
    }
}

function tooLarge(maxBytes: number): ApiError {
    return new ApiError(413, "payload_too_large", `The body must be at most ${maxBytes} bytes.`);
}

function decodeBase64(encoded: string, maxBytes: number): Uint8Array {
    // Four characters carry three bytes; anything longer than that bound cannot decode to an acceptable size.
    if (encoded.length > Math.ceil(maxBytes / 3) * 4) throw tooLarge(maxBytes);
    if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
        throw new ApiError(400, "invalid_base64", "The body is marked base64 but is not valid base64.");
    }
    const bytes = Buffer.from(encoded, "base64");
    if (bytes.length > maxBytes) throw tooLarge(maxBytes);
    return bytes;
}

function encodeUtf8(text: string, maxBytes: number): Uint8Array {
    const bytes = Buffer.from(text);
    if (bytes.length > maxBytes) throw tooLarge(maxBytes);
    return bytes;
}
