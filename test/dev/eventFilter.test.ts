import { strict as assert } from "node:assert";
import { NEW_TICKET_FILTERS } from "../../programs/analysisStream";
import { compileFilters } from "../../tools/dev/eventFilter";

const record = (eventName: string, newImage?: Record<string, unknown>) => ({
    eventName,
    eventSource: "aws:dynamodb",
    dynamodb: { Keys: { id: { S: "k" } }, ...(newImage ? { NewImage: newImage } : {}), StreamViewType: "NEW_IMAGE" },
});

describe("dev stream stand-in: Lambda event filtering", () => {
    const newTicket = compileFilters(NEW_TICKET_FILTERS);

    it("delivers a ticket just inserted: an owner and no analysis version (the program's filter)", () => {
        assert.equal(newTicket(record("INSERT", { id: { S: "t1" }, owner: { S: "alice" }, subject: { S: "s" } })), true);
    });

    it("drops idempotency records, analysed tickets and removals", () => {
        assert.equal(newTicket(record("INSERT", { id: { S: "idempotency#a#k" }, ticketId: { S: "t1" } })), false);
        assert.equal(newTicket(record("MODIFY", { id: { S: "t1" }, owner: { S: "alice" }, analysisVersion: { N: "1" } })), false);
        assert.equal(newTicket(record("REMOVE")), false);
    });

    it("matches values, prefixes, anything-but and numeric ranges; any pattern of several", () => {
        const matches = compileFilters([{ eventName: ["INSERT"], dynamodb: { NewImage: { id: { S: [{ prefix: "t" }] } } } }, { dynamodb: { SizeBytes: [{ numeric: [">", 10, "<=", 20] }] } }]);
        assert.equal(matches(record("INSERT", { id: { S: "t1" } })), true);
        assert.equal(matches(record("MODIFY", { id: { S: "t1" } })), false);
        assert.equal(matches(record("INSERT", { id: { S: "x1" } })), false);
        assert.equal(matches({ dynamodb: { SizeBytes: 15 } }), true);
        assert.equal(matches({ dynamodb: { SizeBytes: 21 } }), false);
        const notRemove = compileFilters([{ eventName: [{ "anything-but": ["REMOVE"] }] }]);
        assert.deepEqual(["INSERT", "REMOVE"].map((e) => notRemove({ eventName: e })), [true, false]);
    });

    it("refuses a pattern with an operator it does not implement rather than deliver what AWS would drop", () => {
        assert.throws(() => compileFilters([{ dynamodb: { Keys: { id: { S: [{ wildcard: "t*" }] } } } }]), /operator "wildcard" is not implemented/);
    });
});
