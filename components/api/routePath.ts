/** Methods a route may use. `ANY` is left out on purpose: a route names what it serves, and IAM names it too. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** One of `HTTP_METHODS`. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

const LITERAL = /^[A-Za-z0-9._~-]+$/;
const PARAMETER = /^\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const GREEDY = /^\{[A-Za-z_][A-Za-z0-9_]*\+\}$/;

/**
 * Why `path` is not a route path HTTP APIs accept (`/tickets/{id}`, `/files/{path+}`), or undefined when it is.
 * A greedy `{name+}` parameter may only be the last segment.
 */
export function routePathProblem(path: string): string | undefined {
    if (!path.startsWith("/") || path === "/" || path.endsWith("/")) {
        return `route path "${path}" must start with / and name at least one segment, without a trailing /`;
    }
    const segments = path.slice(1).split("/");
    for (const [i, segment] of segments.entries()) {
        const last = i === segments.length - 1;
        if (LITERAL.test(segment) || PARAMETER.test(segment) || (last && GREEDY.test(segment))) continue;
        return `route path "${path}": segment "${segment}" must be a literal or a {parameter} (a greedy {parameter+} only last)`;
    }
    return undefined;
}

/**
 * The path as IAM sees a request to the route: every `{parameter}` becomes `*`, since IAM authorizes a
 * route invocation against the actual request path (`/tickets/42/analysis`), not the route's template.
 */
export function iamResourcePath(path: string): string {
    return path.replace(/\{[^/}]+\}/g, "*");
}

/** A name fragment for the route's resources: `POST /tickets/{id}/analysis` -> `post-tickets-id-analysis`. */
export function routeSlug(method: HttpMethod, path: string): string {
    return `${method.toLowerCase()}-${path.slice(1).replace(/[{}+]/g, "").replace(/[^A-Za-z0-9]+/g, "-")}`;
}
