import * as pulumi from "@pulumi/pulumi";
import { Conditions } from "./grant";

/** Who a resource-based statement is about. `"*"` is never used in an Allow without a pinning condition. */
export type Principal = { AWS: pulumi.Input<string> | pulumi.Input<string>[] } | { Service: string | string[] } | "*";

/** One statement of a resource-based policy (KMS key, S3 bucket, SNS topic, SQS queue, ...). */
export interface ResourceStatement {
    /** Statement id; says what the statement is for (alphanumeric). */
    readonly sid: string;
    /** Allow or Deny. */
    readonly effect: "Allow" | "Deny";
    /** Who the statement is about. */
    readonly principal: Principal;
    /** Exact actions (Allow) or actions to deny. */
    readonly actions: readonly string[];
    /** Resource ARNs. In a KMS key policy `*` means "this key" and is the only valid form. */
    readonly resources: readonly pulumi.Input<string>[];
    /** Conditions that pin the caller (`aws:SourceArn`, `aws:SourceAccount`, `kms:ViaService`, ...). */
    readonly conditions?: Conditions;
}

/** The one function that turns resource statements into a resource-based policy document JSON string. */
export function resourcePolicyDocument(statements: readonly ResourceStatement[]): pulumi.Output<string> {
    if (statements.length === 0) throw new Error("a resource policy needs at least one statement");
    const sids = new Set<string>();
    for (const s of statements) {
        if (!/^[A-Za-z0-9]+$/.test(s.sid)) throw new Error(`statement sid "${s.sid}" must be alphanumeric`);
        if (sids.has(s.sid)) throw new Error(`duplicate statement sid "${s.sid}"`);
        sids.add(s.sid);
        if (s.effect === "Allow" && s.principal === "*" && !s.conditions) {
            throw new Error(`statement ${s.sid} allows everyone without a condition that pins the caller`);
        }
        if (s.effect === "Allow" && s.actions.some((a) => a.includes("*"))) {
            throw new Error(`statement ${s.sid} allows a wildcard action`);
        }
    }
    return pulumi
        .output({
            Version: "2012-10-17",
            Statement: statements.map((s) => ({
                Sid: s.sid,
                Effect: s.effect,
                Principal: s.principal,
                Action: [...s.actions],
                Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources],
                ...(s.conditions ? { Condition: s.conditions } : {}),
            })),
        })
        .apply((doc) => JSON.stringify(doc));
}

// ---- KMS key policies: `Resource: "*"` in a key policy means the key itself. ----

/** In a key policy, `*` is the key itself, the only valid resource. */
export const THIS_KEY = "*";

/** Using a symmetric key for data: what a service encrypting on someone's behalf needs (written out, no `kms:*`). */
export const KEY_DATA_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
] as const;

/**
 * What AWS's documented `kms:GenerateDataKey*` matches today, written out: resource policies here (and the pack's
 * mandatory aws-iam-policy-disallow-wildcard-actions) refuse wildcards, and the list grants exactly what the
 * documented form grants, without picking up actions KMS adds later.
 */
export const GENERATE_DATA_KEY_ANY = [
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
] as const;

/**
 * Lets the account's IAM administrators manage (not use) the key. Without this statement a key can become
 * unmanageable; listing actions instead of `kms:*` keeps data use out of the administrators' reach by default.
 */
export const keyAdministration = (accountId: pulumi.Input<string>, partition: pulumi.Input<string> = "aws"): ResourceStatement => ({
    sid: "KeyAdministration",
    effect: "Allow",
    principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
    actions: [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:EnableKeyRotation",
        "kms:DisableKeyRotation",
        "kms:RotateKeyOnDemand",
        "kms:ListKeyRotations",
        "kms:ListGrants",
        "kms:RevokeGrant",
        "kms:ListResourceTags",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateKeyDescription",
        "kms:EnableKey",
        "kms:DisableKey",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
    ],
    resources: [THIS_KEY],
});

/**
 * Lets principals of this account use the key only through one AWS service (e.g. DynamoDB encrypting a table),
 * as AWS-managed keys do; their own IAM policies still have to grant it.
 */
export const keyUseViaService = (
    accountId: pulumi.Input<string>,
    serviceEndpoint: pulumi.Input<string>,
    partition: pulumi.Input<string> = "aws",
): ResourceStatement => ({
    sid: "KeyUseViaService",
    effect: "Allow",
    principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
    // DynamoDB creates a grant on the key for each table it encrypts.
    actions: [...KEY_DATA_ACTIONS, "kms:CreateGrant"],
    resources: [THIS_KEY],
    conditions: {
        StringEquals: { "kms:ViaService": serviceEndpoint, "kms:CallerAccount": accountId },
    },
});
