/**
 * TableStreamTrigger's defaults, as plain data: the component applies them, and `npm run dev`'s stream stand-in
 * delivers records with the same batch size and retries without loading the Pulumi SDK.
 */
export const STREAM_TRIGGER_DEFAULTS = {
    /** Records per invocation: one invocation stays well inside the function's timeout. */
    batchSize: 10,
    /** Retries of a failing record before its batch is given up on. */
    maximumRetryAttempts: 3,
    /** Age, in seconds, after which a record is given up on. */
    maximumRecordAgeSeconds: 3600,
} as const;
