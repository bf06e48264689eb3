/** What the URL's hash asks for; hash routes need no rewrite rule at CloudFront or S3, so deep links just work. */
export type Route = { view: "home" } | { view: "ticket"; id: string } | { view: "not-found" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `#/` (or nothing) is the home view, `#/tickets/<uuid>` a ticket; a ticket path without a ticket id is not found. */
export function routeOf(hash: string): Route {
    const path = hash.replace(/^#/, "");
    const ticket = /^\/tickets\/([^/?#]*)\/?$/.exec(path);
    if (ticket) {
        let id: string;
        try {
            id = decodeURIComponent(ticket[1]);
        } catch {
            return { view: "not-found" };
        }
        return UUID.test(id) ? { view: "ticket", id: id.toLowerCase() } : { view: "not-found" };
    }
    if (path.startsWith("/tickets")) return { view: "not-found" };
    return { view: "home" };
}

/** The hash of a ticket's view. */
export const ticketHash = (id: string) => `#/tickets/${id}`;
