// The smoke checks: what only the deployed stack can show. Each reads the resource it checks from the stack export,
// asks AWS (or the site) about it and returns one line with pass/fail and the evidence.

import { GetTrailStatusCommand, GetTrailStatusCommandOutput, CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudFrontClient, GetDistributionConfigCommand, GetDistributionConfigCommandOutput } from "@aws-sdk/client-cloudfront";
import {
    CloudWatchClient,
    DescribeAlarmsCommand,
    DescribeAlarmsCommandOutput,
    GetMetricStatisticsCommand,
    GetMetricStatisticsCommandOutput,
    SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand, FilterLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { GetFunctionConfigurationCommand, GetFunctionConfigurationCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { GetLoggingConfigurationCommand, GetLoggingConfigurationCommandOutput, WAFV2Client } from "@aws-sdk/client-wafv2";
import { RunnerResource } from "../packRunner";
import { AwsCallFailed, AwsClients, send, sleep } from "./aws";
import { CheckResult, runCheck } from "./checkRun";
import { DeployedStack, ofType, prop, str } from "./stackInput";

export interface SmokeTiming {
    /** A trail delivery older than this is not "recent" (CloudTrail delivers about every 5 minutes). */
    maxDeliveryAgeMs: number;
    /** How far back to look for init errors in a function's log group. */
    initLogWindowMs: number;
    /** At most this many FilterLogEvents pages per function. */
    initLogMaxPages: number;
    /** How long an alarm stays in ALARM before it is set back. */
    alarmHoldMs: number;
    /** How long to wait for SNS's delivery metrics after firing (they arrive with a few minutes' delay). */
    snsMetricWaitMs: number;
    /** Interval between metric polls. */
    snsMetricPollMs: number;
    /** HTTP timeout per site or API request. */
    httpTimeoutMs: number;
}

export const DEFAULT_TIMING: SmokeTiming = {
    maxDeliveryAgeMs: 60 * 60_000,
    initLogWindowMs: 24 * 60 * 60_000,
    initLogMaxPages: 5,
    alarmHoldMs: 10_000,
    snsMetricWaitMs: 6 * 60_000,
    snsMetricPollMs: 30_000,
    httpTimeoutMs: 15_000,
};

export interface SmokeContext {
    stack: DeployedStack;
    aws: AwsClients;
    timing: SmokeTiming;
    /** Whether to fire a security alarm and confirm its SNS delivery. */
    fireAlarm: boolean;
    /** Accept an `http:` site URL (tests on a loopback server); real stacks are always https. */
    allowHttp: boolean;
    /** Reports a long step on stderr. */
    step(text: string): void;
    now(): number;
}

const T = {
    trail: "aws:cloudtrail/trail:Trail",
    fn: "aws:lambda/function:Function",
    distribution: "aws:cloudfront/distribution:Distribution",
    headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    stage: "aws:apigatewayv2/stage:Stage",
    route: "aws:apigatewayv2/route:Route",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const regionOf = (r: RunnerResource) => str(r, "region");
const age = (now: number, t: Date) => `${Math.round((now - t.getTime()) / 60_000)} min ago`;

// ---------------------------------------------------------------- trail

export async function trailChecks(ctx: SmokeContext): Promise<CheckResult[]> {
    const trails = ofType(ctx.stack, T.trail);
    if (trails.length === 0) return [{ id: "trail", title: "CloudTrail trail", status: "fail", evidence: "the stack has no trail" }];
    return Promise.all(
        trails.map((trail) => {
            const name = str(trail, "name") ?? trail.name;
            return runCheck(`trail:${name}`, `trail ${name} logging and delivering`, async () => {
                const s = await send<GetTrailStatusCommandOutput>(ctx.aws.get(CloudTrailClient, regionOf(trail)), new GetTrailStatusCommand({ Name: str(trail, "arn") ?? name }));
                const now = ctx.now();
                const problems: string[] = [];
                const seen: string[] = [`IsLogging=${s.IsLogging === true}`];
                if (s.IsLogging !== true) problems.push("not logging");
                const fresh = (label: string, t: Date | undefined) => {
                    if (t === undefined) {
                        problems.push(`no ${label} yet`);
                        seen.push(`${label}=never`);
                    } else {
                        seen.push(`${label} ${age(now, t)}`);
                        if (now - t.getTime() > ctx.timing.maxDeliveryAgeMs) problems.push(`${label} older than ${ctx.timing.maxDeliveryAgeMs / 60_000} min`);
                    }
                };
                fresh("LatestDeliveryTime", s.LatestDeliveryTime);
                if (str(trail, "cloudWatchLogsGroupArn") !== undefined) fresh("LatestCloudWatchLogsDeliveryTime", s.LatestCloudWatchLogsDeliveryTime);
                for (const [label, error] of [
                    ["LatestDeliveryError", s.LatestDeliveryError],
                    ["LatestCloudWatchLogsDeliveryError", s.LatestCloudWatchLogsDeliveryError],
                ] as const) {
                    if (error) problems.push(`${label} ${error}`);
                }
                return { status: problems.length ? "fail" : "pass", evidence: [...problems, ...seen].join(", ") };
            });
        }),
    );
}

// ---------------------------------------------------------------- functions

/** Markers of a failed init in a function's log group: the platform's init report and Node's init error types. */
const INIT_FILTER = '?INIT_REPORT ?"platform.initReport" ?"Runtime.ImportModuleError" ?"Runtime.HandlerNotFound" ?"Runtime.UserCodeSyntaxError"';
/** Text-format reports say `Status: error|timeout`; JSON-format ones (`platform.initReport`) carry `"status"`. */
const INIT_FAILED = /Runtime\.(ImportModuleError|HandlerNotFound|UserCodeSyntaxError)|Status: (error|timeout|failure)|"status"\s*:\s*"(error|timeout|failure)"/;

export async function functionChecks(ctx: SmokeContext): Promise<CheckResult[]> {
    const fns = ofType(ctx.stack, T.fn);
    if (fns.length === 0) return [{ id: "functions", title: "Lambda functions", status: "fail", evidence: "the stack has no function" }];
    const results = await Promise.all(
        fns.map(async (fn) => {
            const name = str(fn, "name") ?? fn.name;
            let deployedAt: number | undefined;
            const state = await runCheck(`function:${name}`, `function ${name} active`, async () => {
                const c = await send<GetFunctionConfigurationCommandOutput>(
                    ctx.aws.get(LambdaClient, regionOf(fn)),
                    new GetFunctionConfigurationCommand({ FunctionName: str(fn, "arn") ?? name }),
                );
                const modified = c.LastModified ? Date.parse(c.LastModified) : NaN;
                if (!Number.isNaN(modified)) deployedAt = modified;
                const ok = c.State === "Active" && c.LastUpdateStatus === "Successful";
                const reasons = [c.StateReason, c.LastUpdateStatusReason].filter(Boolean).join("; ");
                return {
                    status: ok ? "pass" : "fail",
                    evidence: `State=${c.State ?? "?"}, LastUpdateStatus=${c.LastUpdateStatus ?? "?"}, ${c.Runtime ?? "?"}${reasons ? `, ${reasons}` : ""}`,
                };
            });
            const init = await runCheck(`init:${name}`, `function ${name} initialises`, () => initErrors(ctx, fn, name, deployedAt));
            return [state, init];
        }),
    );
    return results.flat();
}

/** Init errors since the function's last update (at most `initLogWindowMs` back): older ones are fixed code. */
async function initErrors(ctx: SmokeContext, fn: RunnerResource, name: string, deployedAt: number | undefined): Promise<Omit<CheckResult, "id" | "title">> {
    const logging = prop(fn, "loggingConfig") as { logGroup?: string } | undefined;
    const logGroupName = logging?.logGroup || `/aws/lambda/${name}`;
    const client = ctx.aws.get(CloudWatchLogsClient, regionOf(fn));
    let nextToken: string | undefined;
    let scanned = 0;
    const failures: string[] = [];
    let pages = 0;
    const windowStart = ctx.now() - ctx.timing.initLogWindowMs;
    const since = deployedAt !== undefined && deployedAt > windowStart ? deployedAt : windowStart;
    const window = since === windowStart ? `last ${Math.round(ctx.timing.initLogWindowMs / 3_600_000)} h` : `since the last update ${new Date(since).toISOString()}`;
    do {
        let page: FilterLogEventsCommandOutput;
        try {
            page = await send<FilterLogEventsCommandOutput>(
                client,
                new FilterLogEventsCommand({ logGroupName, startTime: since, filterPattern: INIT_FILTER, nextToken, limit: 100 }),
            );
        } catch (e) {
            // A function that has never run has no log group yet: nothing to find, which is not a failure.
            if (e instanceof AwsCallFailed && e.code === "ResourceNotFoundException") return { status: "pass", evidence: `${logGroupName} has no events yet (never invoked)` };
            throw e;
        }
        for (const event of page.events ?? []) {
            scanned++;
            if (event.message && INIT_FAILED.test(event.message)) failures.push(event.message.trim().slice(0, 160));
        }
        nextToken = page.nextToken;
        pages++;
    } while (nextToken && pages < ctx.timing.initLogMaxPages);
    const bounded = nextToken ? ` (stopped after ${pages} pages)` : "";
    if (failures.length) return { status: "fail", evidence: `${failures.length} init error(s) in ${logGroupName}, ${window}${bounded}; latest: ${failures[failures.length - 1]}` };
    return { status: "pass", evidence: `no init error in ${logGroupName}, ${window} (${scanned} init reports read${bounded})` };
}

// ---------------------------------------------------------------- site and API

/** The part of a response headers policy's `securityHeadersConfig` the smoke check reads. */
export interface SecurityHeadersConfig {
    strictTransportSecurity?: { accessControlMaxAgeSec?: number; includeSubdomains?: boolean; preload?: boolean };
    contentSecurityPolicy?: { contentSecurityPolicy?: string };
    contentTypeOptions?: unknown;
    frameOptions?: { frameOption?: string };
    referrerPolicy?: { referrerPolicy?: string };
    xssProtection?: unknown;
}

/**
 * The headers a CloudFront response headers policy adds, from its `securityHeadersConfig` in the export: what the
 * stack configured is what the site must send (components/edge/siteDistribution.ts writes the policy).
 */
export function expectedSecurityHeaders(config: SecurityHeadersConfig | undefined): Map<string, string | RegExp> {
    const expected = new Map<string, string | RegExp>();
    if (!config) return expected;
    const hsts = config.strictTransportSecurity;
    if (hsts) {
        const value = [`max-age=${hsts.accessControlMaxAgeSec}`, ...(hsts.includeSubdomains ? ["includeSubDomains"] : []), ...(hsts.preload ? ["preload"] : [])].join("; ");
        expected.set("strict-transport-security", value);
    }
    if (config.contentSecurityPolicy?.contentSecurityPolicy) expected.set("content-security-policy", config.contentSecurityPolicy.contentSecurityPolicy);
    if (config.contentTypeOptions) expected.set("x-content-type-options", "nosniff");
    if (config.frameOptions?.frameOption) expected.set("x-frame-options", config.frameOptions.frameOption);
    if (config.referrerPolicy?.referrerPolicy) expected.set("referrer-policy", config.referrerPolicy.referrerPolicy);
    if (config.xssProtection) expected.set("x-xss-protection", /^[01]/);
    return expected;
}

/** The site's URL: the `siteUrl` output, else the distribution's first alias or domain name. */
export function siteUrlOf(stack: DeployedStack): string | undefined {
    if (typeof stack.outputs.siteUrl === "string") return stack.outputs.siteUrl.replace(/\/+$/, "");
    const d = ofType(stack, T.distribution)[0];
    if (!d) return undefined;
    const aliases = prop(d, "aliases");
    const host = Array.isArray(aliases) && typeof aliases[0] === "string" ? aliases[0] : str(d, "domainName");
    return host ? `https://${host}` : undefined;
}

async function request(url: string, method: string, timeoutMs: number): Promise<{ status: number; headers: Headers; body: string }> {
    const res = await fetch(url, { method, redirect: "manual", signal: AbortSignal.timeout(timeoutMs), ...(method === "POST" ? { body: "{}", headers: { "content-type": "application/json" } } : {}) });
    const body = (await res.text()).replace(/\s+/g, " ").slice(0, 120);
    return { status: res.status, headers: res.headers, body };
}

const networkError = (e: unknown) => {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.cause?.message ?? err.message);
};

export async function siteChecks(ctx: SmokeContext): Promise<CheckResult[]> {
    const base = siteUrlOf(ctx.stack);
    if (!base) return [{ id: "site", title: "site", status: "fail", evidence: "no siteUrl output and no distribution in the stack" }];
    const results: CheckResult[] = [];
    const secure = base.startsWith("https://") || (ctx.allowHttp && base.startsWith("http://"));
    const policy = ofType(ctx.stack, T.headers)[0];
    const expected = expectedSecurityHeaders(policy ? (prop(policy, "securityHeadersConfig") as SecurityHeadersConfig) : undefined);
    results.push(
        await runCheck("site", `site ${base}/ answers 200 over HTTPS with the security headers`, async () => {
            if (!secure) return { status: "fail", evidence: `${base} is not https` };
            if (expected.size === 0) return { status: "fail", evidence: "the stack has no response headers policy with security headers" };
            let res;
            try {
                res = await request(`${base}/`, "GET", ctx.timing.httpTimeoutMs);
            } catch (e) {
                return { status: "fail", evidence: `GET ${base}/: ${networkError(e)}` };
            }
            const problems: string[] = [];
            if (res.status !== 200) problems.push(`status ${res.status}`);
            for (const [header, want] of expected) {
                const got = res.headers.get(header);
                if (got === null) problems.push(`${header} missing`);
                else if (typeof want === "string" ? got !== want : !want.test(got)) problems.push(`${header} is "${got}", expected "${want}"`);
            }
            return {
                status: problems.length ? "fail" : "pass",
                evidence: problems.length ? problems.join("; ") : `200, ${[...expected.keys()].join(", ")} as configured`,
            };
        }),
    );
    results.push(...(await routeChecks(ctx, base)));
    return results;
}

/** Every route without credentials: a JWT route must answer 401, an AWS_IAM route 403, before any code runs. */
async function routeChecks(ctx: SmokeContext, base: string): Promise<CheckResult[]> {
    const stage = ofType(ctx.stack, T.stage)[0];
    const stageName = stage ? str(stage, "name") : undefined;
    const prefix = stageName && stageName !== "$default" ? `/${stageName}` : "";
    const routes = ofType(ctx.stack, T.route);
    if (routes.length === 0) return [{ id: "api", title: "API routes", status: "fail", evidence: "the stack has no API route" }];
    return Promise.all(
        routes.map((route) => {
            const key = str(route, "routeKey") ?? "";
            const [method, path] = key.split(" ");
            const auth = str(route, "authorizationType") ?? "NONE";
            const want = auth === "JWT" ? 401 : auth === "AWS_IAM" ? 403 : undefined;
            const url = `${base}${prefix}${(path ?? "").replace(/\{[^}]+\}/g, "smoke-check")}`;
            const what = auth === "AWS_IAM" ? "without a signature" : "without a token";
            return runCheck(`route:${key}`, `${method} ${prefix}${path} ${what} is ${want ?? "refused"}`, async () => {
                if (want === undefined) return { status: "fail", evidence: `route authorization is ${auth}: anyone may call it` };
                try {
                    const res = await request(url, method, ctx.timing.httpTimeoutMs);
                    return { status: res.status === want ? "pass" : "fail", evidence: `${res.status} ${res.body}`.trim() };
                } catch (e) {
                    return { status: "fail", evidence: `${method} ${url}: ${networkError(e)}` };
                }
            });
        }),
    );
}

// ---------------------------------------------------------------- WAF

export async function wafChecks(ctx: SmokeContext): Promise<CheckResult[]> {
    const acl = ofType(ctx.stack, T.webAcl)[0];
    const distribution = ofType(ctx.stack, T.distribution)[0];
    if (!acl || !distribution) return [{ id: "waf", title: "WAF", status: "fail", evidence: `the stack has no ${acl ? "distribution" : "web ACL"}` }];
    const aclArn = str(acl, "arn") ?? "";
    const distributionId = str(distribution, "id") ?? "";
    // WAF's GetWebACLForResource does not serve CloudFront; its API reference says to read the distribution config.
    const associated = await runCheck("waf:association", `web ACL ${str(acl, "name") ?? acl.name} associated with distribution ${distributionId}`, async () => {
        const out = await send<GetDistributionConfigCommandOutput>(ctx.aws.get(CloudFrontClient, "us-east-1"), new GetDistributionConfigCommand({ Id: distributionId }));
        const actual = out.DistributionConfig?.WebACLId ?? "";
        return { status: actual === aclArn ? "pass" : "fail", evidence: actual ? `WebACLId=${actual}` : "the distribution has no web ACL" };
    });
    const logging = await runCheck("waf:logging", `web ACL ${str(acl, "name") ?? acl.name} logging`, async () => {
        try {
            const out = await send<GetLoggingConfigurationCommandOutput>(ctx.aws.get(WAFV2Client, regionOf(acl) ?? "us-east-1"), new GetLoggingConfigurationCommand({ ResourceArn: aclArn }));
            const destinations = out.LoggingConfiguration?.LogDestinationConfigs ?? [];
            return { status: destinations.length ? "pass" : "fail", evidence: destinations.length ? `to ${destinations.join(", ")}` : "no log destination" };
        } catch (e) {
            if (e instanceof AwsCallFailed && e.code === "WAFNonexistentItemException") return { status: "fail", evidence: "no logging configuration" };
            throw e;
        }
    });
    return [associated, logging];
}

// ---------------------------------------------------------------- alarm notification

/** The security alarms of the stack; `--fire-alarm` needs at least one. */
export const alarmsOf = (stack: DeployedStack) => ofType(stack, T.alarm);

export async function alarmCheck(ctx: SmokeContext): Promise<CheckResult[]> {
    const alarms = alarmsOf(ctx.stack);
    if (alarms.length === 0) return [];
    const alarm = alarms[0];
    const name = str(alarm, "name") ?? alarm.name;
    const title = `alarm ${name} notifies through SNS`;
    if (!ctx.fireAlarm) return [{ id: "alarm", title, status: "skip", evidence: "pass --fire-alarm to set it to ALARM and back and confirm the SNS delivery" }];
    return [
        await runCheck("alarm", title, async () => {
            const client = ctx.aws.get(CloudWatchClient, regionOf(alarm));
            const described = await send<DescribeAlarmsCommandOutput>(client, new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ["MetricAlarm"] }));
            const live = described.MetricAlarms?.[0];
            if (!live) return { status: "fail", evidence: "the alarm does not exist" };
            const topicArn = (live.AlarmActions ?? []).find((a) => a.startsWith("arn:") && a.split(":")[2] === "sns");
            if (!topicArn) return { status: "fail", evidence: "the alarm has no SNS action" };
            if (live.ActionsEnabled === false) return { status: "fail", evidence: "the alarm's actions are disabled" };
            const topicName = topicArn.split(":").pop()!;
            const firedAt = ctx.now();
            ctx.step(`setting ${name} to ALARM`);
            await send(client, new SetAlarmStateCommand({ AlarmName: name, StateValue: "ALARM", StateReason: "smoke check: testing the notification path" }));
            await sleep(ctx.timing.alarmHoldMs);
            await send(client, new SetAlarmStateCommand({ AlarmName: name, StateValue: "OK", StateReason: "smoke check: notification test over" }));
            // Wall-clock, not ctx.now(): the wait is bounded however the report's clock is set.
            const deadline = Date.now() + ctx.timing.snsMetricWaitMs;
            for (;;) {
                const sum = async (metric: string) => {
                    const out = await send<GetMetricStatisticsCommandOutput>(
                        client,
                        new GetMetricStatisticsCommand({
                            Namespace: "AWS/SNS",
                            MetricName: metric,
                            Dimensions: [{ Name: "TopicName", Value: topicName }],
                            StartTime: new Date(firedAt - 60_000),
                            EndTime: new Date(ctx.now() + 60_000),
                            Period: 60,
                            Statistics: ["Sum"],
                        }),
                    );
                    return (out.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
                };
                const [delivered, failed] = [await sum("NumberOfNotificationsDelivered"), await sum("NumberOfNotificationsFailed")];
                if (failed > 0) return { status: "fail", evidence: `topic ${topicName}: NumberOfNotificationsFailed=${failed}, Delivered=${delivered}` };
                if (delivered > 0) return { status: "pass", evidence: `set to ALARM and back; topic ${topicName}: NumberOfNotificationsDelivered=${delivered}, Failed=0` };
                if (Date.now() >= deadline) {
                    return { status: "fail", evidence: `topic ${topicName}: no delivery in the metrics ${Math.round(ctx.timing.snsMetricWaitMs / 1000)} s after firing (no confirmed subscription?)` };
                }
                ctx.step(`waiting for SNS delivery metrics of ${topicName}`);
                await sleep(ctx.timing.snsMetricPollMs);
            }
        }),
    ];
}
