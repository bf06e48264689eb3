import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HardenedFunction } from "./hardenedFunction";
import { STREAM_TRIGGER_DEFAULTS } from "./streamTriggerDefaults";

export interface TableStreamTriggerArgs {
    /**
     * The function the stream invokes. Its role must already hold `tableStreamRead(streamArn)` and `streamList()`
     * (Lambda reads the stream with the execution role); its failure queue receives the batches given up on.
     */
    target: HardenedFunction;
    /** ARN of the DynamoDB stream to read (`TicketsTable.streamArn`). */
    streamArn: pulumi.Input<string>;
    /** Lambda event filter patterns, as objects; a record matching any one is delivered, the rest are dropped. 1 to 5. */
    filters: object[];
    /** Records per invocation, 1 to 10000; default 10 (one invocation stays well inside the function's timeout). */
    batchSize?: number;
    /** Retries of a failing record before its batch is given up on, 0 to 10000; default 3. */
    maximumRetryAttempts?: number;
    /** Age, in seconds, after which a record is given up on, 60 to 604800; default 3600. */
    maximumRecordAgeSeconds?: number;
}

/** Sids of the grants Lambda uses with the execution role to poll a stream and report failures (components/iam). */
const REQUIRED_GRANTS = ["TableStreamRead", "StreamList", "QueueSend"];

/**
 * A DynamoDB stream event source mapping that cannot lose a record silently or block its shard:
 * - only records matching the filters invoke the function;
 * - the function reports failed records (`ReportBatchItemFailures`), so Lambda retries from the first failure
 *   instead of the whole batch, and bisects a batch whose invocation fails outright;
 * - retries and record age are bounded (the defaults would retry for the stream's whole 24 hours, holding the
 *   shard), after which the batch's shard and sequence range go to the function's encrypted failure queue;
 * - it starts at the oldest record kept (TRIM_HORIZON), so records written before it existed are processed too.
 */
export class TableStreamTrigger extends pulumi.ComponentResource {
    /** The event source mapping. */
    public readonly mapping: aws.lambda.EventSourceMapping;
    /** ARN of the queue that receives the batches given up on (the target's failure queue). */
    public readonly onFailureArn: pulumi.Output<string>;

    constructor(name: string, args: TableStreamTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:function:TableStreamTrigger", name, {}, opts);
        const refuse = (message: string): never => {
            throw new pulumi.ResourceError(`TableStreamTrigger ${name}: ${message}`, this);
        };
        const batchSize = args.batchSize ?? STREAM_TRIGGER_DEFAULTS.batchSize;
        const maximumRetryAttempts = args.maximumRetryAttempts ?? STREAM_TRIGGER_DEFAULTS.maximumRetryAttempts;
        const maximumRecordAgeSeconds = args.maximumRecordAgeSeconds ?? STREAM_TRIGGER_DEFAULTS.maximumRecordAgeSeconds;
        if (!Array.isArray(args.filters) || args.filters.length < 1 || args.filters.length > 5) {
            refuse("filters must hold 1 to 5 patterns; without one every change to the table would invoke the function");
        }
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000) refuse(`batchSize must be 1 to 10000, got ${batchSize}`);
        if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < 0 || maximumRetryAttempts > 10000) {
            refuse(`maximumRetryAttempts must be 0 to 10000, got ${maximumRetryAttempts}`);
        }
        if (!Number.isInteger(maximumRecordAgeSeconds) || maximumRecordAgeSeconds < 60 || maximumRecordAgeSeconds > 604800) {
            refuse(`maximumRecordAgeSeconds must be 60 to 604800, got ${maximumRecordAgeSeconds}`);
        }
        const sids = new Set(args.target.grants.map((g) => g.sid));
        const missing = REQUIRED_GRANTS.filter((sid) => !sids.has(sid));
        if (missing.length > 0) {
            refuse(`the target function's role lacks the grant(s) ${missing.join(", ")}; Lambda polls the stream and reports failures with that role`);
        }

        this.onFailureArn = args.target.dlqArn;
        this.mapping = new aws.lambda.EventSourceMapping(
            name,
            {
                eventSourceArn: args.streamArn,
                functionName: args.target.arn,
                startingPosition: "TRIM_HORIZON",
                batchSize,
                filterCriteria: { filters: args.filters.map((pattern) => ({ pattern: JSON.stringify(pattern) })) },
                functionResponseTypes: ["ReportBatchItemFailures"],
                bisectBatchOnFunctionError: true,
                maximumRetryAttempts,
                maximumRecordAgeInSeconds: maximumRecordAgeSeconds,
                destinationConfig: { onFailure: { destinationArn: this.onFailureArn } },
            },
            // The function depends on its role's policy, so the grants exist when Lambda checks them on create.
            { parent: this, dependsOn: [args.target] },
        );

        this.registerOutputs({ uuid: this.mapping.uuid, onFailureArn: this.onFailureArn });
    }
}
