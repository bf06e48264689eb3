import * as pulumi from "@pulumi/pulumi";

/*
 * Trust policies of the roles AWS services assume. Each is the form the service's documentation gives; a condition
 * is added only where a page of AWS documentation shows the service sending it when it assumes the role (a
 * condition the service does not send makes AssumeRole fail, and the service stops working without an error we
 * would see). The page title is next to each.
 */

/** Who may assume a service role, and the conditions that pin the caller. */
export interface ServiceTrust {
    /** Service principal, e.g. `lambda.amazonaws.com`. */
    readonly service: string;
    /** Conditions of the trust statement; only those the service's documentation shows it sending. */
    readonly conditions?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
}

/**
 * Lambda assumes a function's execution role. "Defining Lambda function permissions with an execution role" (AWS
 * Lambda Developer Guide) gives the trust as the Lambda service principal and `sts:AssumeRole` with no condition, and
 * no Lambda page documents `aws:SourceAccount` or `aws:SourceArn` on it, so none is added: a role is only usable by
 * a function in its own account anyway (iam:PassRole does not cross accounts).
 */
export const lambdaExecutionTrust: ServiceTrust = { service: "lambda.amazonaws.com" };

/**
 * CloudTrail assumes the role that delivers a trail's events to CloudWatch Logs. "Sending events to CloudWatch Logs"
 * (AWS CloudTrail User Guide) gives the trust with no condition, and "Role policy document for CloudTrail to use
 * CloudWatch Logs for monitoring" says confused-deputy prevention does not apply to this role: CloudTrail does not
 * support `aws:SourceArn` or `aws:SourceAccount` there, so either condition would stop delivery.
 */
export const cloudTrailLogsDeliveryTrust: ServiceTrust = { service: "cloudtrail.amazonaws.com" };

/** The trust policy document: exactly one service may assume the role, under the trust's conditions. */
export function serviceTrustPolicy(trust: ServiceTrust): pulumi.Output<string> {
    return pulumi
        .output({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AssumeByService",
                    Effect: "Allow",
                    Principal: { Service: trust.service },
                    Action: "sts:AssumeRole",
                    // JSON leaves an undefined Condition out.
                    Condition: trust.conditions,
                },
            ],
        })
        .apply((doc) => JSON.stringify(doc));
}

/** GitHub Actions' OIDC issuer and the audience the official AWS credentials action asks for. */
export const GITHUB_OIDC = { url: "https://token.actions.githubusercontent.com", host: "token.actions.githubusercontent.com", audience: "sts.amazonaws.com" } as const;

/**
 * The subject GitHub puts in the token of a job that runs in `environment` of `repository` (`owner/name`):
 * "Filtering for a specific environment" in "OpenID Connect reference" (GitHub Docs).
 */
export const githubEnvironmentSubject = (repository: string, environment: string) => `repo:${repository}:environment:${environment}`;

/**
 * Trust for a role GitHub Actions assumes: the form "Configuring OpenID Connect in Amazon Web Services" (GitHub
 * Docs) gives (the provider as Federated principal, sts:AssumeRoleWithWebIdentity, `aud` = sts.amazonaws.com), with
 * `sub` under StringEquals to one environment's subject instead of its StringLike `repo:<owner>/<repo>:*` example:
 * only jobs of that environment (whose protection rules apply) get the role.
 */
export function githubOidcTrustPolicy(providerArn: pulumi.Input<string>, repository: string, environment: string): pulumi.Output<string> {
    return pulumi
        .output({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AssumeFromGitHubEnvironment",
                    Effect: "Allow",
                    Principal: { Federated: providerArn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience,
                            [`${GITHUB_OIDC.host}:sub`]: githubEnvironmentSubject(repository, environment),
                        },
                    },
                },
            ],
        })
        .apply((doc) => JSON.stringify(doc));
}
