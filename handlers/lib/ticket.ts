/** Priorities a ticket can carry, lowest first (the analyser relies on this order to raise a priority). */
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = ["billing", "bug", "account", "feature-request", "general"] as const;
export type Category = (typeof CATEGORIES)[number];

export type SentimentLabel = "negative" | "neutral" | "positive";

export interface TicketAnalysis {
    category: Category;
    suggestedPriority: Priority;
    sentiment: { label: SentimentLabel; score: number };
    /** Rule terms that matched (never free ticket text), so an agent can see why. */
    signals: string[];
}

/** A ticket as stored in the table. */
export interface TicketItem {
    id: string;
    /** The JWT `sub` of the user who submitted it; only they may read it. */
    owner: string;
    subject: string;
    description: string;
    priority: Priority;
    status: "open";
    createdAt: string;
    analysis?: TicketAnalysis;
    /** Version of the rules that produced `analysis`; a re-run of the same version writes the same value. */
    analysisVersion?: number;
}

/** What a ticket's owner sees: the item less its internals; `ticketView` copies named fields, so nothing else leaks. */
export type TicketView = Omit<TicketItem, "owner" | "analysisVersion">;

export function ticketView(item: TicketItem): TicketView {
    const view: TicketView = {
        id: item.id,
        subject: item.subject,
        description: item.description,
        priority: item.priority,
        status: item.status,
        createdAt: item.createdAt,
        // Absent until analysed; JSON leaves the undefined field out.
        analysis: item.analysis,
    };
    return view;
}

/** A ticket in its owner's list: the view less the description, which can be 5,000 characters per ticket. */
export type TicketSummary = Omit<TicketView, "description">;

export function ticketSummary(item: TicketItem): TicketSummary {
    const summary: TicketSummary = {
        id: item.id,
        subject: item.subject,
        priority: item.priority,
        status: item.status,
        createdAt: item.createdAt,
        // Absent until analysed; JSON leaves the undefined field out.
        analysis: item.analysis,
    };
    return summary;
}
