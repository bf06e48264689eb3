// lib/unknown.ts (what a value unknown during preview reads as, and the path a message names) and the S3 finders
// of lib/s3.ts (which account a provider acts in, which buckets an account-level block covers, which S3 patterns
// reach buckets the stack does not own): one reproduction per decision.

import * as assert from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { UnknownValueError, isUnknownValueError, unknownCheckingProxy } from "../../policypack/lib/policyInternals";
import { accountBlockCovers, providerAccount, s3WildcardScope } from "../../policypack/lib/s3";
import { UNKNOWN, formatPropertyPath, isUnknown, readProp, tryRead } from "../../policypack/lib/unknown";
import { ACCOUNT, UNKNOWN as SENTINEL } from "./support";

describe("values unknown during preview", () => {
    it("names a property path the way messages do", () => {
        assert.deepStrictEqual([
            formatPropertyPath(["inlinePolicies", "0", "policy"]), formatPropertyPath(["policy"]), formatPropertyPath([0, "a", "b"]),
            formatPropertyPath(["a", "12b"]), formatPropertyPath([]),
        ], ["inlinePolicies[0].policy", "policy", "[0].a.b", "a.12b", "(props)"]);
    });

    it("tryRead and readProp turn the proxy's unknown into UNKNOWN, and let other errors through", () => {
        const props = unknownCheckingProxy({ policy: SENTINEL, name: "n", inline: [{ policy: SENTINEL }] }) as Record<string, unknown>;
        assert.deepStrictEqual(tryRead(() => props.name), { value: "n" });
        assert.deepStrictEqual(tryRead(() => props.policy), { value: UNKNOWN, unknownAt: "policy" });
        assert.deepStrictEqual(tryRead(() => (props.inline as Record<string, unknown>[])[0].policy), { value: UNKNOWN, unknownAt: "inline[0].policy" });
        assert.throws(() => tryRead(() => { throw new Error("boom"); }), /boom/);
        assert.deepStrictEqual([readProp(props, "policy"), readProp(props, "name"), readProp(null, "x"), readProp("s", "length"), readProp(undefined, "x")],
            [UNKNOWN, "n", undefined, undefined, undefined]);
        const throwing = { get x(): unknown { throw new Error("not unknown"); } };
        assert.throws(() => readProp(throwing, "x"), /not unknown/);
        assert.deepStrictEqual([isUnknown(UNKNOWN), isUnknown(SENTINEL), isUnknown(undefined)], [true, false, false]);
    });

    it("recognises the proxy's error, also from another copy of @pulumi/policy (duck-typed)", () => {
        const copy = Object.assign(new Error("unknown"), { props: ["policy"], unknownTypeSentinel: SENTINEL });
        assert.deepStrictEqual([
            isUnknownValueError(new UnknownValueError(SENTINEL, ["policy"])), isUnknownValueError(copy),
            isUnknownValueError(Object.assign(new Error("x"), { props: "policy", unknownTypeSentinel: SENTINEL })),
            isUnknownValueError(Object.assign(new Error("x"), { props: ["policy"], unknownTypeSentinel: "other" })),
            isUnknownValueError({ props: ["policy"], unknownTypeSentinel: SENTINEL }),
        ], [true, true, false, false, false]);
    });
});

const withProvider = (props: Record<string, unknown> | undefined, urn = "urn:pulumi:dev::p::pulumi:providers:aws::p1", extra: Record<string, unknown> = {}) =>
    ({ type: "aws:s3/bucket:Bucket", name: "b", urn: "urn:b", props: extra, provider: props === undefined ? undefined : { urn, props } }) as unknown as PolicyResource;

describe("which account a provider acts in", () => {
    it("reads one allowedAccountIds entry, else the account of the role it assumes, as an object or a state string", () => {
        const role = (account: string) => `arn:aws:iam::${account}:role/deploy`;
        assert.deepStrictEqual([
            providerAccount(withProvider({ allowedAccountIds: [ACCOUNT] })),
            providerAccount(withProvider({ allowedAccountIds: JSON.stringify([ACCOUNT]) })),
            providerAccount(withProvider({ allowedAccountIds: [ACCOUNT, "111122223333"] })),
            providerAccount(withProvider({ allowedAccountIds: ["1234"] })),
            providerAccount(withProvider({ allowedAccountIds: [12] })),
            providerAccount(withProvider({ assumeRoles: [{ roleArn: role("111122223333") }] })),
            providerAccount(withProvider({ assumeRole: { roleArn: role("111122223333") } })),
            providerAccount(withProvider({ assumeRole: JSON.stringify({ roleArn: role("111122223333") }) })),
            providerAccount(withProvider({ assumeRole: "{not json" })),
            providerAccount(withProvider({ assumeRoles: [{ roleArn: "arn:aws:iam::*:role/x" }] })),
            providerAccount(withProvider({ assumeRoles: ["x"] })),
            providerAccount(withProvider({ assumeRoles: [{ roleArn: 5 }] })),
            providerAccount(withProvider({ region: "eu-west-1" })),
            providerAccount(withProvider(undefined)),
        ], [ACCOUNT, ACCOUNT, undefined, undefined, undefined, "111122223333", "111122223333", "111122223333", undefined, undefined, undefined, undefined, undefined, undefined]);
    });

    it("an account-level block covers buckets of its account: by accountId, by provider account, else by provider", () => {
        const block = (props: Record<string, unknown> | undefined, accountId?: unknown, urn?: string) => withProvider(props, urn, accountId === undefined ? {} : { accountId });
        const inA = { allowedAccountIds: [ACCOUNT] };
        const inB = { allowedAccountIds: ["111122223333"] };
        assert.deepStrictEqual([
            accountBlockCovers(block(inA), withProvider(inA, "urn:other")),
            accountBlockCovers(block(inA), withProvider(inB)),
            accountBlockCovers(block(undefined, ACCOUNT), withProvider(inA)),
            accountBlockCovers(block(inB, ACCOUNT), withProvider(inA)),
            accountBlockCovers(block(undefined, "not-an-account"), withProvider(inA)),
            accountBlockCovers(block({}), withProvider({})),
            accountBlockCovers(block({}, undefined, "urn:p2"), withProvider({})),
            accountBlockCovers(block(undefined), withProvider(undefined)),
        ], [true, false, true, true, false, true, false, true]);
    });
});

describe("S3 patterns that reach buckets the stack does not own", () => {
    it("names every object, every bucket, or the bucket-name wildcard; not named buckets, access points or other services", () => {
        const cases: [string, string | undefined][] = [
            ["arn:aws:s3:::*/*", "every object in every bucket"],
            ["arn:*:s3:::*", "every object in every bucket"],
            ["arn:aws:s3:::*x", "every bucket"],
            ["arn:aws:*", "every object in every bucket"],
            ["arn:aws:s3:::app-*", "every bucket whose name matches \"app-*\", including other accounts' buckets"],
            ["arn:aws:s3:::app-?/key", "every bucket whose name matches \"app-?\", including other accounts' buckets"],
            ["arn:aws:s3:::app-data/*", undefined],
            ["arn:aws:s3:eu-west-1:123456789012:accesspoint/ap-*", undefined],
            ["arn:aws:dynamodb:*:*:table/*", undefined],
            ["arn:aws:S3:::*", "every object in every bucket"],
            ["*", undefined],
            ["arn:aws:s3:::app-data", undefined],
        ];
        assert.deepStrictEqual(cases.map(([p]) => [p, s3WildcardScope(p)]), cases);
    });
});
