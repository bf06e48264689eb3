import * as assert from "assert";
import { documentedConditionKeys, effectOnResource } from "../../tools/lib/accessViews";

describe("access views", () => {
    it("spells condition keys as the Service Authorization Reference does, keeping a variable part as written", async () => {
        const names = await documentedConditionKeys(["kms:viaservice", "aws:sourcearn", "aws:resourcetag/project", "dynamodb:leadingkeys", "kms:encryptioncontext:aws:cloudtrail:arn", "acme:madeup"]);
        assert.strictEqual(names.get("kms:viaservice"), "kms:ViaService");
        assert.strictEqual(names.get("aws:sourcearn"), "aws:SourceArn");
        assert.strictEqual(names.get("aws:resourcetag/project"), "aws:ResourceTag/project");
        assert.strictEqual(names.get("dynamodb:leadingkeys"), "dynamodb:LeadingKeys");
        assert.strictEqual(names.get("kms:encryptioncontext:aws:cloudtrail:arn"), "kms:EncryptionContext:aws:cloudtrail:arn");
        assert.strictEqual(names.has("acme:madeup"), false, "an unknown key is left as written");
    });

    it("tells changing a resource from using or reading it", () => {
        const effect = (action: string, accessLevel: string, matches?: number) => effectOnResource({ action, accessLevel, ...(matches ? { matches } : {}) });
        assert.strictEqual(effect("kms:Decrypt", "Write"), "uses");
        assert.strictEqual(effect("kms:GenerateDataKey", "Write"), "uses");
        assert.strictEqual(effect("execute-api:Invoke", "Write"), "uses");
        assert.strictEqual(effect("kms:PutKeyPolicy", "Permissions management"), "changes");
        assert.strictEqual(effect("kms:ScheduleKeyDeletion", "Write"), "changes");
        assert.strictEqual(effect("kms:TagResource", "Tagging"), "changes");
        assert.strictEqual(effect("dynamodb:GetItem", "Read"), "reads");
        assert.strictEqual(effect("kms:*", "Write, Read, List, Permissions management, Tagging", 60), "changes", "a wildcard that matches a changing action");
        assert.strictEqual(effect("*", "every action of every service"), "changes");
    });
});
