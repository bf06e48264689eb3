import { Auth0Client, GenericError } from "@auth0/auth0-spa-js";
import { PRIORITIES, type Priority, type TicketSummary, type TicketView } from "../../handlers/lib/ticket";
import { ApiFailure, TicketsApi } from "./api";
import { pollDelay } from "./backoff";
import { parseRuntimeConfig } from "./runtimeConfig";
import { routeOf, ticketHash, type Route } from "./route";

/** auth0-spa-js errors that mean "no usable session here": the user has to sign in (again). */
const SIGN_IN_ERRORS = new Set(["login_required", "missing_refresh_token", "invalid_grant", "consent_required"]);
/** Set when the page sends the user to sign in; a 401 soon after coming back is shown instead of looping. */
const SIGN_IN_STARTED = "swiftsupport.signInStartedAt";
const SIGN_IN_LOOP_MS = 60_000;

/** The element with this id; the page's HTML defines every id used here, so a missing one is a build bug. */
function byId<T extends HTMLElement = HTMLElement>(id: string): T {
    const element = document.getElementById(id);
    if (!element) throw new Error(`the page has no #${id}`);
    return element as T;
}

const ui = {
    alert: byId("alert"),
    loading: byId("loading"),
    user: byId("user"),
    signIn: byId<HTMLButtonElement>("sign-in"),
    signOut: byId<HTMLButtonElement>("sign-out"),
    views: { "signed-out": byId("signed-out"), home: byId("home"), ticket: byId("ticket"), "not-found": byId("not-found") },
    form: byId<HTMLFormElement>("ticket-form"),
    subject: byId<HTMLInputElement>("subject"),
    description: byId<HTMLTextAreaElement>("description"),
    priority: byId<HTMLSelectElement>("priority"),
    submit: byId<HTMLButtonElement>("submit"),
    tickets: byId<HTMLUListElement>("tickets"),
    ticketsEmpty: byId("tickets-empty"),
    more: byId<HTMLButtonElement>("more"),
    ticket: {
        subject: byId("ticket-subject"),
        id: byId("ticket-id"),
        status: byId("ticket-status"),
        priority: byId("ticket-priority"),
        created: byId("ticket-created"),
        description: byId("ticket-description"),
        pending: byId("analysis-pending"),
        result: byId("analysis-result"),
        category: byId("analysis-category"),
        suggested: byId("analysis-priority"),
        sentiment: byId("analysis-sentiment"),
        retry: byId<HTMLButtonElement>("analysis-retry"),
    },
};

type ViewName = keyof typeof ui.views;

function showView(name: ViewName, focus = true): void {
    ui.loading.hidden = true;
    for (const [view, element] of Object.entries(ui.views)) element.hidden = view !== name;
    // Move focus to the new view's heading so keyboard and screen-reader users land on what changed.
    if (focus) ui.views[name].querySelector<HTMLElement>("h1")?.focus();
}

function showError(message: string): void {
    ui.alert.textContent = message;
}

function clearError(): void {
    ui.alert.textContent = "";
}

const label = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).replace(/-/g, " ");
const when = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
};

async function main(): Promise<void> {
    let config;
    try {
        const response = await fetch("config.json", { cache: "no-store" });
        if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status}).`);
        config = parseRuntimeConfig(await response.json());
    } catch (error) {
        ui.loading.hidden = true;
        showError(`The page is not configured: ${error instanceof Error ? error.message : String(error)}`);
        return;
    }

    const redirectUri = `${location.origin}${location.pathname}`;
    // Refresh tokens in memory (through the token worker, served from this origin so the CSP needs no blob:
    // worker): no hidden iframe, so no frame-src for the tenant, and nothing in localStorage.
    const auth = new Auth0Client({
        domain: config.auth0Domain,
        clientId: config.clientId,
        cacheLocation: "memory",
        useRefreshTokens: true,
        workerUrl: TOKEN_WORKER_URL,
        authorizationParams: { audience: config.audience, redirect_uri: redirectUri },
    });

    const signIn = async () => {
        sessionStorage.setItem(SIGN_IN_STARTED, String(Date.now()));
        await auth.loginWithRedirect({ appState: { returnTo: location.hash } });
    };
    /** Sends the user to sign in, unless they just did and the API still refuses them (then says so instead). */
    const reauthenticate = async () => {
        const started = Number(sessionStorage.getItem(SIGN_IN_STARTED) ?? 0);
        if (Date.now() - started < SIGN_IN_LOOP_MS) {
            showError("You signed in, but the support service did not accept your sign-in. Please try again later.");
            return;
        }
        await signIn();
    };
    const token = async () => {
        let accessToken: string | undefined;
        try {
            accessToken = await auth.getTokenSilently();
        } catch (error) {
            if (error instanceof GenericError && SIGN_IN_ERRORS.has(error.error)) throw new ApiFailure(401, error.error, "Your session has ended.");
            throw error;
        }
        if (!accessToken) throw new ApiFailure(401, "no_token", "Your session has ended.");
        return accessToken;
    };
    const api = new TicketsApi({ apiBase: config.apiBase, token });

    ui.signIn.addEventListener("click", () => void signIn());
    ui.signOut.addEventListener("click", () => {
        sessionStorage.removeItem(SIGN_IN_STARTED);
        void auth.logout({ logoutParams: { returnTo: redirectUri } });
    });

    // Back from Auth0: finish the code exchange, then drop code and state from the address bar.
    const query = new URLSearchParams(location.search);
    if (query.has("state") && (query.has("code") || query.has("error"))) {
        let returnTo = location.hash;
        try {
            const result = await auth.handleRedirectCallback<{ returnTo?: string }>();
            if (typeof result.appState?.returnTo === "string" && result.appState.returnTo.startsWith("#/")) returnTo = result.appState.returnTo;
        } catch (error) {
            showError(`Sign-in did not complete: ${error instanceof GenericError ? error.error_description || error.error : String(error)}`);
        }
        history.replaceState(history.state, "", `${location.pathname}${returnTo}`);
    }

    if (!(await auth.isAuthenticated())) {
        ui.signIn.hidden = false;
        showView("signed-out", false);
        return;
    }
    const user = await auth.getUser();
    ui.user.textContent = user?.email ?? user?.name ?? "";
    ui.signOut.hidden = false;

    /** What a failed call means on this page: sign in again, a not-found view, or the API's message. */
    const handleFailure = async (error: unknown) => {
        if (error instanceof ApiFailure && error.status === 401) return reauthenticate();
        showError(error instanceof Error ? error.message : String(error));
    };

    // ---- The list of the caller's tickets ----
    let nextCursor: string | undefined;
    const renderSummary = (ticket: TicketSummary) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = ticketHash(ticket.id);
        link.textContent = ticket.subject;
        const meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = [label(ticket.status), ticket.analysis ? label(ticket.analysis.category) : "Analysing", when(ticket.createdAt)].join(" · ");
        item.append(link, " ", meta);
        return item;
    };
    const loadTickets = async (append: boolean) => {
        try {
            const page = await api.list(append ? nextCursor : undefined);
            if (!append) ui.tickets.replaceChildren();
            ui.tickets.append(...page.tickets.map(renderSummary));
            nextCursor = page.nextCursor;
            ui.more.hidden = nextCursor === undefined;
            ui.ticketsEmpty.hidden = ui.tickets.childElementCount > 0;
        } catch (error) {
            await handleFailure(error);
        }
    };
    ui.more.addEventListener("click", () => void loadTickets(true));

    // ---- Submitting ----
    let idempotency: { key: string; body: string } | undefined;
    ui.form.addEventListener("submit", (event) => {
        event.preventDefault();
        void (async () => {
            clearError();
            const priority = ui.priority.value as Priority;
            const ticket = {
                subject: ui.subject.value,
                description: ui.description.value,
                priority: (PRIORITIES as readonly string[]).includes(priority) ? priority : "normal",
            };
            // The same ticket sent again (say after a lost answer) keeps its key, so it cannot become two tickets.
            const body = JSON.stringify(ticket);
            if (idempotency?.body !== body) idempotency = { key: crypto.randomUUID(), body };
            ui.submit.disabled = true;
            try {
                const id = await api.submit(ticket, idempotency.key);
                idempotency = undefined;
                ui.form.reset();
                location.hash = ticketHash(id);
            } catch (error) {
                await handleFailure(error);
            } finally {
                ui.submit.disabled = false;
            }
        })();
    });

    // ---- One ticket, polled until its analysis appears ----
    let generation = 0;
    const renderTicket = (ticket: TicketView) => {
        const t = ui.ticket;
        t.subject.textContent = ticket.subject;
        t.id.textContent = ticket.id;
        t.status.textContent = label(ticket.status);
        t.priority.textContent = label(ticket.priority);
        t.created.textContent = when(ticket.createdAt);
        t.description.textContent = ticket.description;
        t.result.hidden = !ticket.analysis;
        t.pending.hidden = Boolean(ticket.analysis);
        if (ticket.analysis) {
            t.category.textContent = label(ticket.analysis.category);
            t.suggested.textContent = label(ticket.analysis.suggestedPriority);
            t.sentiment.textContent = label(ticket.analysis.sentiment.label);
        }
    };
    const showTicket = async (id: string, current: number) => {
        ui.ticket.retry.hidden = true;
        ui.ticket.pending.textContent = "Analysing your ticket…";
        for (let attempt = 0; current === generation; attempt++) {
            let ticket: TicketView;
            try {
                ticket = await api.ticket(id);
            } catch (error) {
                if (current !== generation) return;
                if (error instanceof ApiFailure && error.status === 404) return showView("not-found");
                return handleFailure(error);
            }
            if (current !== generation) return;
            renderTicket(ticket);
            if (attempt === 0) showView("ticket");
            if (ticket.analysis) return;
            const delay = pollDelay(attempt);
            if (delay === undefined) {
                ui.ticket.pending.textContent = "The analysis is taking longer than usual.";
                ui.ticket.retry.hidden = false;
                return;
            }
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    };
    ui.ticket.retry.addEventListener("click", () => void showTicket(ui.ticket.id.textContent ?? "", ++generation));

    const render = (route: Route) => {
        const current = ++generation;
        if (route.view === "ticket") return void showTicket(route.id, current);
        if (route.view === "not-found") return showView("not-found");
        showView("home");
        void loadTickets(false);
    };
    window.addEventListener("hashchange", () => {
        clearError();
        render(routeOf(location.hash));
    });
    render(routeOf(location.hash));
}

void main().catch((error: unknown) => {
    ui.loading.hidden = true;
    showError(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
});
