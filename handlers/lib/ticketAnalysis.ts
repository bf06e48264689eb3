import { PRIORITIES, type Category, type Priority, type SentimentLabel, type TicketAnalysis } from "./ticket";

/**
 * Version of the rules below. Bump it whenever a rule changes: the stored `analysisVersion` lets a re-run of the
 * same rules rewrite the same value while an older deployment can never overwrite a newer analysis.
 */
export const ANALYSIS_VERSION = 1;

/** Terms (single words or phrases of whole words) that point to a category; more distinct matches win. */
const CATEGORY_TERMS: Record<Exclude<Category, "general">, readonly string[]> = {
    billing: [
        "bill", "billed", "billing", "charge", "charged", "charges", "credit card", "double charged", "invoice",
        "invoices", "overcharged", "paid", "payment", "payments", "price", "pricing", "receipt", "refund",
        "refunds", "subscription", "vat",
    ],
    bug: [
        "broken", "bug", "bugs", "crash", "crashed", "crashes", "crashing", "doesn't work", "error", "errors",
        "exception", "failed", "failing", "fails", "failure", "freezes", "frozen", "glitch", "hangs",
        "not working", "outage", "regression", "site is down", "stack trace", "stopped working", "timeout",
    ],
    account: [
        "2fa", "account", "email address", "locked out", "log in", "login", "logged out", "mfa", "password",
        "profile", "reset", "sign in", "signin", "sso", "two factor", "username", "verification code",
    ],
    "feature-request": [
        "ability to", "add support", "could you add", "enhancement", "feature", "feature request", "integration",
        "option to", "please add", "roadmap", "suggest", "suggestion", "wish", "would be nice", "would love",
    ],
};

/** Order used to break a tie between categories with as many matches. */
const CATEGORY_ORDER = ["billing", "bug", "account", "feature-request"] as const;

/** Terms that make a ticket urgent whatever else it says: harm is happening now. */
const CRITICAL_TERMS = [
    "all users", "breach", "compromised", "data loss", "emergency", "fraud", "hacked", "outage",
    "production down", "security", "site is down", "unauthorized",
];
/** Terms that ask for speed: at least high. */
const URGENCY_TERMS = [
    "as soon as possible", "asap", "blocked", "blocking", "can't work", "cannot work", "critical", "deadline",
    "immediately", "locked out", "right away", "urgent", "urgently",
];

/** Word weights for sentiment; a negator just before a word flips it ("not happy"). */
const SENTIMENT_WEIGHTS = new Map<string, number>([
    ["angry", -2], ["annoyed", -1], ["annoying", -1], ["awful", -2], ["bad", -1], ["disappointed", -2],
    ["frustrated", -2], ["frustrating", -2], ["furious", -3], ["hate", -2], ["horrible", -2], ["poor", -1],
    ["ridiculous", -2], ["scam", -3], ["slow", -1], ["sucks", -2], ["terrible", -2], ["unacceptable", -3],
    ["unusable", -2], ["upset", -2], ["useless", -2], ["waste", -2], ["worst", -3],
    ["amazing", 2], ["appreciate", 2], ["appreciated", 2], ["awesome", 2], ["excellent", 3], ["fantastic", 3],
    ["glad", 1], ["good", 1], ["great", 2], ["happy", 2], ["helpful", 2], ["love", 2], ["nice", 1],
    ["perfect", 2], ["pleased", 2], ["thank", 1], ["thanks", 1], ["wonderful", 2],
]);
const NEGATORS = new Set(["not", "no", "never", "isn't", "wasn't", "don't", "doesn't", "didn't", "hardly"]);

/**
 * Sentiment scores at or beyond this magnitude get a label other than neutral: the score of a weight sum of ±2, so one
 * mild word (±1, scoring ±0.2) stays neutral.
 */
const SENTIMENT_THRESHOLD = 0.33;
/** How far the raw weight sum must go to approach ±1; keeps one mild word from reading as strong. */
const SENTIMENT_DAMPING = 4;
/** Most rule terms reported as signals. */
const MAX_SIGNALS = 12;

/**
 * Categorises a ticket, suggests a priority and scores its sentiment from its text alone. A pure function of the
 * text: the same ticket always gets the same analysis, which is what makes the analysis endpoint idempotent.
 */
export function analyseTicket(ticket: { subject: string; description: string }): TicketAnalysis {
    const segments = toSegments(`${ticket.subject}\n${ticket.description}`);
    // Segments are joined with a separator token so no phrase matches across a sentence boundary.
    const padded = ` ${segments.map((words) => words.join(" ")).join(" | ")} `;
    const matches = (terms: readonly string[]) => terms.filter((term) => padded.includes(` ${term} `));

    let category: Category = "general";
    let best = 0;
    const signals = new Set<string>();
    for (const candidate of CATEGORY_ORDER) {
        const found = matches(CATEGORY_TERMS[candidate]);
        found.forEach((term) => signals.add(term));
        if (found.length > best) {
            best = found.length;
            category = candidate;
        }
    }

    const sentiment = scoreSentiment(segments);
    const critical = matches(CRITICAL_TERMS);
    const urgent = matches(URGENCY_TERMS);
    [...critical, ...urgent].forEach((term) => signals.add(term));

    return {
        category,
        suggestedPriority: suggestPriority(category, critical.length > 0, urgent.length > 0, sentiment.score),
        sentiment,
        signals: [...signals].sort().slice(0, MAX_SIGNALS),
    };
}

function suggestPriority(category: Category, critical: boolean, urgent: boolean, sentimentScore: number): Priority {
    if (critical) return "urgent";
    let level = PRIORITIES.indexOf(category === "feature-request" ? "low" : "normal");
    if (urgent) level = Math.max(level, PRIORITIES.indexOf("high"));
    // A very unhappy customer is worth one step sooner, but anger alone never makes a ticket urgent.
    if (sentimentScore <= -0.5) level = Math.min(level + 1, PRIORITIES.indexOf("high"));
    return PRIORITIES[level];
}

function scoreSentiment(segments: string[][]): { label: SentimentLabel; score: number } {
    let raw = 0;
    for (const words of segments) {
        words.forEach((word, i) => {
            const weight = SENTIMENT_WEIGHTS.get(word);
            if (weight === undefined) return;
            const negated = NEGATORS.has(words[i - 1]) || NEGATORS.has(words[i - 2]);
            raw += negated ? -weight : weight;
        });
    }
    // Saturates towards ±1 and is rounded so the stored number is identical on every run. Weights are whole numbers,
    // so a non-zero sum scores at least ±0.2 and the score is never -0.
    const score = Math.round((raw / (Math.abs(raw) + SENTIMENT_DAMPING)) * 100) / 100;
    const label = score >= SENTIMENT_THRESHOLD ? "positive" : score <= -SENTIMENT_THRESHOLD ? "negative" : "neutral";
    return { label, score };
}

/** Lower-case words per sentence, with typographic apostrophes made plain so "don’t" matches "don't". */
function toSegments(text: string): string[][] {
    return text
        .normalize("NFKC")
        .toLowerCase()
        .replace(/[\u2018\u2019]/g, "'")
        .split(/[.!?;:\n\r]/)
        .map((sentence) => sentence.split(/[^\p{L}\p{N}']/u).map((w) => w.replace(/^'+|'+$/g, "")).filter(Boolean));
}
