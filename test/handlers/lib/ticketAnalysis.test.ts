import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CATEGORIES, PRIORITIES } from "../../../handlers/lib/ticket";
import { analyseTicket } from "../../../handlers/lib/ticketAnalysis";

const analyse = (subject: string, description: string) => analyseTicket({ subject, description });

describe("ticket analysis: what each rule promises", () => {
    const category = (text: string) => analyse("Ticket", text).category;
    const priority = (text: string) => analyse("Ticket", text).suggestedPriority;
    const sentiment = (text: string) => analyse("Ticket", text).sentiment;

    it("breaks a tie between categories in the order billing, bug, account, feature request", () => {
        assert.equal(category("A refund and an error."), "billing");
        assert.equal(category("An error with my password."), "bug");
        assert.equal(category("My password, and a feature idea."), "account");
        assert.equal(category("The invoice shows an error with my password and a feature."), "billing");
    });

    it("gives the category with the most distinct matching terms, whatever comes first", () => {
        assert.equal(category("An error: my password reset and login fail."), "account"); // error, fails vs password, reset, login
        assert.equal(category("Refund. The app crashes with an error and a stack trace."), "bug");
        assert.equal(category("Error error error. Password reset and login."), "account", "a term counts once");
    });

    it("files a ticket that matches no rule as general, with no signals and normal priority", () => {
        assert.deepEqual(analyse("Question", "When are you open?"), {
            category: "general",
            suggestedPriority: "normal",
            sentiment: { label: "neutral", score: 0 },
            signals: [],
        });
    });

    it("reads the subject and the description, but no phrase across them or across sentences", () => {
        assert.equal(analyse("Refund", "Hello there.").category, "billing");
        assert.equal(analyse("Hello there", "Refund").category, "billing");
        assert.deepEqual(analyse("My credit", "card was fine").signals, []);
        assert.deepEqual(analyse("Note", "We had to add. Support told us to wait.").signals, []);
        assert.deepEqual(analyse("Note", "Could you add support for SSO").signals, ["add support", "could you add", "sso"]);
    });

    it("normalises the text: compatibility forms, case, typographic apostrophes, quotes around words", () => {
        assert.equal(category("ＬＯＧＩＮ"), "account");
        assert.deepEqual(analyse("x", "It DOESN’T WORK").signals, ["doesn't work"]);
        assert.deepEqual(analyse("x", "The word 'refund' in quotes").signals, ["refund"]);
        assert.deepEqual(analyse("x", "The word ''refund'' in doubled quotes").signals, ["refund"]);
        assert.deepEqual(analyse("x", "refund,refund;invoice").signals, ["invoice", "refund"]);
        assert.deepEqual(analyse("x", "My 2FA code").signals, ["2fa"]);
        assert.deepEqual(sentiment("I am not ' ' happy."), { label: "negative", score: -0.33 }, "a lone quote mark is no word");
    });

    it("ends a sentence at . ! ? ; : and line breaks", () => {
        for (const end of [".", "!", "?", ";", ":", "\n", "\r", "?!"]) {
            assert.deepEqual(sentiment(`Not${end} happy`), { label: "positive", score: 0.33 }, JSON.stringify(end));
        }
    });

    it("reports each matching rule term once, sorted, at most twelve", () => {
        const manyTerms = "bill billed billing charge charged charges invoice invoices paid payment payments price pricing receipt";
        assert.deepEqual(analyse("Billing", manyTerms).signals, [
            "bill", "billed", "billing", "charge", "charged", "charges", "invoice", "invoices", "paid", "payment", "payments", "price",
        ]);
        assert.deepEqual(analyse("Security", "ASAP: a security breach, asap!").signals, ["asap", "breach", "security"]);
    });

    it("suggests urgent for harm happening now, whatever the category or mood", () => {
        assert.equal(priority("Please add an option to export. Also we were hacked."), "urgent");
        assert.equal(priority("Thanks, all users are happy. There was a breach."), "urgent");
    });

    it("suggests at least high when asked for speed, and low for a feature request", () => {
        assert.equal(priority("Please add dark mode."), "low");
        assert.equal(priority("Please add dark mode asap."), "high");
        assert.equal(priority("The export fails, we are blocked."), "high");
        assert.equal(priority("The export fails."), "normal");
    });

    it("raises the priority one step for a very unhappy customer (score -0.5 or less), never to urgent", () => {
        assert.deepEqual(sentiment("The export fails. I am angry, so angry."), { label: "negative", score: -0.5 });
        assert.equal(priority("The export fails. I am angry, so angry."), "high");
        assert.equal(priority("Please add dark mode. This is angry and angry making."), "normal");
        assert.equal(priority("The export fails, we are blocked. Furious, angry, upset."), "high");
        assert.deepEqual(sentiment("The export fails. Slow, bad, poor."), { label: "negative", score: -0.43 });
        assert.equal(priority("The export fails. Slow, bad, poor."), "normal");
    });

    it("scores sentiment as the saturated weight sum, rounded to two decimals", () => {
        assert.deepEqual(sentiment("Good."), { label: "neutral", score: 0.2 });
        assert.deepEqual(sentiment("Happy."), { label: "positive", score: 0.33 });
        assert.deepEqual(sentiment("Bad."), { label: "neutral", score: -0.2 });
        assert.deepEqual(sentiment("Upset."), { label: "negative", score: -0.33 });
        assert.deepEqual(sentiment("Excellent, fantastic, wonderful, amazing."), { label: "positive", score: 0.71 });
        assert.deepEqual(sentiment("Great. But terrible."), { label: "neutral", score: 0 });
    });

    it("flips a word negated one or two words before it, within its sentence only", () => {
        assert.deepEqual(sentiment("Not happy."), { label: "negative", score: -0.33 });
        assert.deepEqual(sentiment("Not very happy."), { label: "negative", score: -0.33 });
        assert.deepEqual(sentiment("Not at all happy."), { label: "positive", score: 0.33 });
        assert.deepEqual(sentiment("Not. Happy."), { label: "positive", score: 0.33 });
        assert.deepEqual(sentiment("It isn't bad."), { label: "neutral", score: 0.2 });
    });
});

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
