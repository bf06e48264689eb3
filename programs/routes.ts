import type { HttpMethod, RouteAuthorization } from "../components/api";

/** The API's stage, and so the path prefix the site distribution (and `npm run dev`) sends to it: `/api/*`. */
export const API_STAGE = "api";

/** The Lambda handlers behind the API, by their file under `handlers/`. */
export type RouteHandler = "submit" | "list" | "status" | "analysis";

/** One API route: what a request names, who may call it, which handler answers. */
export interface RouteSpec {
    method: HttpMethod;
    /** Path below the stage, with `{param}` segments as API Gateway writes them. */
    path: string;
    authorization: RouteAuthorization;
    handler: RouteHandler;
}

/**
 * The API's route table, written once: the workload program gives it to `SecureHttpApi`, and `npm run dev` serves
 * the same routes locally.
 */
export const ROUTES = {
    submit: { method: "POST", path: "/tickets", authorization: "JWT", handler: "submit" },
    // The caller's own tickets, newest first (the site's list).
    list: { method: "GET", path: "/tickets", authorization: "JWT", handler: "list" },
    status: { method: "GET", path: "/tickets/{id}", authorization: "JWT", handler: "status" },
    // Machines only (SigV4): re-analysis for the roles in `reanalysisPrincipals`.
    reanalysis: { method: "POST", path: "/tickets/{id}/analysis", authorization: "AWS_IAM", handler: "analysis" },
} as const satisfies Record<string, RouteSpec>;
