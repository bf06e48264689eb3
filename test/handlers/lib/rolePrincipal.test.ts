import { strict as assert } from "node:assert";
import fc from "fast-check";
import { isAllowedRole, parseRoleAllowList, roleFromArn, roleFromSessionArn } from "../../../handlers/lib/rolePrincipal";

const nameChar = fc.constantFrom(..."abcXYZ019+=,.@_-".split(""));
const roleName = fc.string({ unit: nameChar, minLength: 1, maxLength: 64 });
const sessionName = fc.string({ unit: nameChar, minLength: 2, maxLength: 64 });
const account = fc.stringMatching(/^\d{12}$/);
const partition = fc.constantFrom("aws", "aws-cn", "aws-us-gov");
const rolePath = fc.constantFrom("", "ops/", "a/b/c/", "service-role/");

describe("role principals (re-analysis allow-list)", () => {
    it("matches every session of a role to that role's ARN, whatever its path and session name", () => {
        fc.assert(
            fc.property(partition, account, rolePath, roleName, sessionName, (p, a, path, name, session) => {
                const role = roleFromArn(`arn:${p}:iam::${a}:role/${path}${name}`);
                const caller = roleFromSessionArn(`arn:${p}:sts::${a}:assumed-role/${name}/${session}`);
                assert.ok(role && caller);
                assert.ok(isAllowedRole(caller, [role]));
            }),
        );
    });

    it("never matches a session of another role, account or partition", () => {
        fc.assert(
            fc.property(partition, account, roleName, roleName, account, (p, a, name, other, otherAccount) => {
                fc.pre(other.toLowerCase() !== name.toLowerCase() && otherAccount !== a);
                const allowed = [roleFromArn(`arn:${p}:iam::${a}:role/${name}`)!];
                for (const arn of [
                    `arn:${p}:sts::${a}:assumed-role/${other}/s1`,
                    `arn:${p}:sts::${otherAccount}:assumed-role/${name}/s1`,
                    `arn:${p === "aws" ? "aws-cn" : "aws"}:sts::${a}:assumed-role/${name}/s1`,
                ]) {
                    const caller = roleFromSessionArn(arn);
                    assert.ok(caller === undefined || !isAllowedRole(caller, allowed), arn);
                }
            }),
        );
    });

    it("recognises only role ARNs and assumed-role session ARNs", () => {
        for (const arn of ["arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:root", "arn:aws:iam::12345:role/x", "role/x", ""]) {
            assert.equal(roleFromArn(arn), undefined, arn);
        }
        for (const arn of ["arn:aws:iam::123456789012:role/x", "arn:aws:sts::123456789012:federated-user/bob", "arn:aws:sts::123456789012:assumed-role/x"]) {
            assert.equal(roleFromSessionArn(arn), undefined, arn);
        }
    });

    it("reads the allow-list variable: empty allows nobody, anything but role ARNs is refused by value", () => {
        assert.deepEqual(parseRoleAllowList("V", undefined), []);
        assert.deepEqual(parseRoleAllowList("V", " , "), []);
        assert.deepEqual(parseRoleAllowList("V", "arn:aws:iam::123456789012:role/a/B"), [
            { partition: "aws", accountId: "123456789012", roleName: "b" },
        ]);
        assert.throws(() => parseRoleAllowList("V", "arn:aws:iam::123456789012:role/a,nope"), /^Error: V must hold IAM role ARNs separated by commas; not a role ARN: nope$/);
        assert.throws(() => parseRoleAllowList("V", "nope, arn:aws:iam::123456789012:role/a ,arn:aws:iam::123456789012:user/u"), {
            message: "V must hold IAM role ARNs separated by commas; not a role ARN: nope, arn:aws:iam::123456789012:user/u",
        });
    });
});
