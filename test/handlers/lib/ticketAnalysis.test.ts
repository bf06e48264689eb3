import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CATEGORIES, PRIORITIES } from "../../../handlers/lib/ticket";
import { analyseTicket } from "../../../handlers/lib/ticketAnalysis";

const analyse = (subject: string, description: string) => analyseTicket({ subject, description });

describe("ticket analysis rules", () => {
    it("puts each kind of ticket in its category", () => {
        const cases: [string, string, string][] = [
            ["billing", "Charged twice", "My credit card was charged twice for one invoice."],
            ["bug", "App crashes on start", "Since the update the app crashes with an error."],
            ["account", "Cannot log in", "My password reset email never arrives."],
            ["feature-request", "Dark mode", "It would be nice to have a dark mode option."],
            ["general", "Office hours", "When are you open on public holidays?"],
        ];
        for (const [category, subject, description] of cases) {
            assert.equal(analyse(subject, description).category, category, subject);
        }
    });

    it("suggests urgent for harm happening now, high when asked for speed, low for feature requests", () => {
        assert.equal(analyse("Outage", "Full outage in production, all users affected.").suggestedPriority, "urgent");
        assert.equal(analyse("Hacked?", "I think my account was hacked.").suggestedPriority, "urgent");
        assert.equal(analyse("Refund", "Please refund the duplicate payment asap.").suggestedPriority, "high");
        assert.equal(analyse("Idea", "Could you add an export to CSV feature?").suggestedPriority, "low");
        assert.equal(analyse("Crash", "The report page shows an error.").suggestedPriority, "normal");
    });

    it("reads sentiment, including negation", () => {
        assert.equal(analyse("Love it", "The new dashboard is excellent, thanks!").sentiment.label, "positive");
        assert.equal(analyse("Awful", "This is terrible and frustrating.").sentiment.label, "negative");
        assert.equal(analyse("Meh", "I am not happy with the replies.").sentiment.label, "negative");
        assert.deepEqual(analyse("Export", "Where do I find the export button?").sentiment, { label: "neutral", score: 0 });
    });

    it("matches words and phrases whole, whatever the case or apostrophe style", () => {
        assert.equal(analyse("LOGIN", "Password RESET fails").category, "account");
        assert.deepEqual(analyse("Sync", "It doesn’t work since Monday").signals, ["doesn't work"]);
        assert.equal(analyse("Billboard", "A question about the billboards near the office").category, "general");
    });

    it("gives the same bounded, well-formed answer every time for any text", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: "binary", maxLength: 2000 }), (subject, description) => {
                const first = analyse(subject, description);
                assert.deepEqual(analyse(subject, description), first);
                assert.ok((CATEGORIES as readonly string[]).includes(first.category));
                assert.ok((PRIORITIES as readonly string[]).includes(first.suggestedPriority));
                const { label, score } = first.sentiment;
                assert.ok(score >= -1 && score <= 1 && !Object.is(score, -0));
                assert.equal(label, score >= 0.25 ? "positive" : score <= -0.25 ? "negative" : "neutral");
                assert.deepEqual(first.signals, [...first.signals].sort());
                assert.ok(first.signals.length <= 12);
            }),
            { numRuns: 300 },
        );
    });
});
