import { ANALYSIS_ATTRIBUTES, TICKET_TABLE } from "../handlers/lib/ticketTable";

/**
 * Which table stream records start an analysis, written once: the workload program gives these patterns to the
 * analysis `TableStreamTrigger`, and `npm run dev`'s stream stand-in applies the same ones.
 *
 * New tickets only: the Lambda Developer Guide's "Using event filtering with a DynamoDB event source" says DynamoDB
 * mappings filter on the `dynamodb` key alone (so not on `eventName`), and shows `exists` on NewImage leaves. An
 * item with an owner (idempotency records have none) and no analysis yet is a ticket just inserted: the analysis
 * is the only later write to a ticket, and removals carry no NewImage. The handler checks for INSERT as well.
 */
export const NEW_TICKET_FILTERS = [
    {
        dynamodb: {
            NewImage: {
                [TICKET_TABLE.ownerIndex.hashKey]: { S: [{ exists: true }] },
                [ANALYSIS_ATTRIBUTES.version]: { N: [{ exists: false }] },
            },
        },
    },
];
