import { strict as assert } from "node:assert";
import { requireEnvironment } from "../../../handlers/lib/environment";

describe("handler environment (cold start)", () => {
    it("returns exactly the named variables, trimmed", () => {
        const env = requireEnvironment("fn", ["TABLE_NAME", "OTHER"], { TABLE_NAME: " tickets\n", OTHER: "x", UNNAMED: "y" });
        assert.deepEqual(env, { TABLE_NAME: "tickets", OTHER: "x" });
    });

    it("names the function and every missing or blank variable, in the order asked", () => {
        assert.throws(
            () => requireEnvironment("submit", ["A", "B", "C", "D"], { B: "set", C: " \t", D: "" }),
            {
                name: "Error",
                message: "submit: missing required environment variable(s) A, C, D; the function was deployed without its configuration.",
            },
        );
    });

    it("reads process.env unless told otherwise", () => {
        process.env.SWIFTSUPPORT_TEST_VARIABLE = " value ";
        try {
            assert.deepEqual(requireEnvironment("fn", ["SWIFTSUPPORT_TEST_VARIABLE"]), { SWIFTSUPPORT_TEST_VARIABLE: "value" });
        } finally {
            delete process.env.SWIFTSUPPORT_TEST_VARIABLE;
        }
        assert.throws(() => requireEnvironment("fn", ["SWIFTSUPPORT_TEST_VARIABLE"]), /fn: missing required environment variable\(s\) SWIFTSUPPORT_TEST_VARIABLE;/);
    });
});
