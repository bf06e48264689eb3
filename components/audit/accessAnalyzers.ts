import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccessAnalyzersArgs {
    /**
     * Also run an unused-access analyzer (a paid analyzer) reporting roles, keys and permissions unused for this many
     * days (1-365); omit for none.
     */
    unusedAccessAgeDays?: number;
    /**
     * ARN of the account's existing external-access analyzer. AWS allows one account analyzer per type and region
     * (Control Tower, Security Hub or a console setup may have made it): give its ARN to adopt it instead of
     * creating a second, which AWS would refuse.
     */
    existingAccountAnalyzerArn?: string;
}

/**
 * IAM Access Analyzer for the account: an external-access analyzer always (free; reports anything shared outside the
 * account), and an unused-access analyzer where the stack asks for it.
 */
export class AccessAnalyzers extends pulumi.ComponentResource {
    /** The external-access analyzer this stack created (absent when an existing one is adopted). */
    public readonly account?: aws.accessanalyzer.Analyzer;
    /** The unused-access analyzer, when asked for. */
    public readonly unusedAccess?: aws.accessanalyzer.Analyzer;
    /** ARNs of every analyzer, for people's `audit:read` access. */
    public readonly analyzerArns: pulumi.Output<string>[];

    constructor(name: string, args: AccessAnalyzersArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:audit:AccessAnalyzers", name, {}, opts);
        const days = args.unusedAccessAgeDays;
        if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) {
            throw new pulumi.ResourceError(`unusedAccessAgeDays must be a whole number of days from 1 to 365, got ${days}`, this);
        }
        const existing = args.existingAccountAnalyzerArn;
        if (existing !== undefined && !/^arn:aws[a-z-]*:access-analyzer:[a-z0-9-]+:\d{12}:analyzer\/[\w.-]+$/.test(existing)) {
            throw new pulumi.ResourceError(`existingAccountAnalyzerArn "${existing}" is not an IAM Access Analyzer ARN`, this);
        }
        const prefix = `swiftsupport-${pulumi.getStack()}`;

        if (existing === undefined) {
            this.account = new aws.accessanalyzer.Analyzer(
                `${name}-account`,
                { analyzerName: `${prefix}-external-access`, type: "ACCOUNT" },
                { parent: this },
            );
        }
        if (days !== undefined) {
            this.unusedAccess = new aws.accessanalyzer.Analyzer(
                `${name}-unused-access`,
                {
                    analyzerName: `${prefix}-unused-access`,
                    type: "ACCOUNT_UNUSED_ACCESS",
                    configuration: { unusedAccess: { unusedAccessAge: days } },
                },
                { parent: this },
            );
        }

        this.analyzerArns = [
            existing !== undefined ? pulumi.output(existing) : this.account!.arn,
            ...(this.unusedAccess ? [this.unusedAccess.arn] : []),
        ];
        this.registerOutputs({ analyzerArns: this.analyzerArns });
    }
}
