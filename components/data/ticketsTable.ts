import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TICKET_TABLE, TTL_ATTRIBUTE } from "../../handlers/lib/ticketTable";
import { keyAdministration, keyUseViaService, resourcePolicyDocument } from "../iam";

export interface TicketsTableArgs {
    /** Refuse `DeleteTable` (prod); from the stack's `deletionProtection`. */
    deletionProtection: boolean;
    /** Days a deleted table key waits before it is gone (7-30); default 30, the longest time to notice a mistake. */
    keyDeletionWindowDays?: number;
}

/**
 * What the stream carries: the new item, which the analysis mapping filters on (`owner` marks a ticket) and reads
 * the text from. Old images are never needed: analysis only starts for inserts.
 */
export const TICKETS_STREAM_VIEW = "NEW_IMAGE";

/**
 * The tickets table: on-demand, encrypted with its own customer-managed key (rotated yearly, usable only through
 * DynamoDB), point-in-time recovery on, deletion protection where the stack asks for it, and the owner index the
 * handlers read. The key schema comes from `handlers/lib/ticketTable.ts`, the one definition the handlers use too.
 * Its stream (encrypted with the same key) starts the analysis of new tickets; TTL expires the submit
 * idempotency records, the only items that carry the TTL attribute.
 */
export class TicketsTable extends pulumi.ComponentResource {
    /** The table. */
    public readonly table: aws.dynamodb.Table;
    /** The key encrypting it. */
    public readonly key: aws.kms.Key;
    /** Table ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Table name. */
    public readonly name: pulumi.Output<string>;
    /** Key ARN, for `kmsDecrypt(keyArn, kmsViaService)` grants. */
    public readonly keyArn: pulumi.Output<string>;
    /** The index listing one owner's tickets. */
    public readonly ownerIndexName: string;
    /** ARN of the table's stream, for the analysis event source mapping and its read grant. */
    public readonly streamArn: pulumi.Output<string>;
    /** `dynamodb.<region>.<dns suffix>`: the `kms:ViaService` value that limits key use to DynamoDB. */
    public readonly kmsViaService: pulumi.Output<string>;

    constructor(name: string, args: TicketsTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:data:TicketsTable", name, {}, opts);
        const window = args.keyDeletionWindowDays ?? 30;
        if (!Number.isInteger(window) || window < 7 || window > 30) {
            throw new pulumi.ResourceError(`TicketsTable ${name}: keyDeletionWindowDays must be 7 to 30, got ${window}`, this);
        }
        if (typeof args.deletionProtection !== "boolean") {
            throw new pulumi.ResourceError(`TicketsTable ${name}: deletionProtection must be set (true or false)`, this);
        }

        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this });
        this.kmsViaService = pulumi.interpolate`dynamodb.${region}.${partition.dnsSuffix}`;

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts the SwiftSupport tickets table (${pulumi.getStack()})`,
                enableKeyRotation: true,
                deletionWindowInDays: window,
                policy: resourcePolicyDocument([
                    keyAdministration(accountId, partition.partition),
                    keyUseViaService(accountId, this.kmsViaService, partition.partition),
                ]),
            },
            { parent: this },
        );
        new aws.kms.Alias(
            `${name}-key`,
            { name: `alias/swiftsupport-${pulumi.getStack()}-${name}`, targetKeyId: this.key.keyId },
            { parent: this },
        );

        const index = TICKET_TABLE.ownerIndex;
        this.ownerIndexName = index.name;
        this.table = new aws.dynamodb.Table(
            name,
            {
                billingMode: "PAY_PER_REQUEST",
                hashKey: TICKET_TABLE.hashKey,
                attributes: TICKET_TABLE.attributes.map((a) => ({ name: a.name, type: a.type })),
                globalSecondaryIndexes: [
                    {
                        name: index.name,
                        keySchemas: [
                            { attributeName: index.hashKey, keyType: "HASH" },
                            { attributeName: index.rangeKey, keyType: "RANGE" },
                        ],
                        projectionType: index.projectionType,
                    },
                ],
                serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: args.deletionProtection,
                streamEnabled: true,
                streamViewType: TICKETS_STREAM_VIEW,
                ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
            },
            { parent: this },
        );

        this.arn = this.table.arn;
        this.name = this.table.name;
        this.keyArn = this.key.arn;
        this.streamArn = this.table.streamArn;
        this.registerOutputs({
            streamArn: this.streamArn,
            arn: this.arn,
            name: this.name,
            keyArn: this.keyArn,
            ownerIndexName: this.ownerIndexName,
            kmsViaService: this.kmsViaService,
        });
    }
}
