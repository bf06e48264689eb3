import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { AddressInfo } from "net";
import { CloudFrontClient, DistributionConfig, GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import { CloudTrailClient, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetLoggingConfigurationCommand, WAFV2Client } from "@aws-sdk/client-wafv2";
import { mockClient } from "aws-sdk-client-mock";
import { pulumiOnPath } from "../../tools/lib/ops/stackInput";
import { SmokeReport, main } from "../../tools/smoke";
import {
    ALARM_NAME,
    DISTRIBUTION_ID,
    FUNCTIONS,
    TOPIC_ARN,
    TRAIL_ARN,
    WEB_ACL_ARN,
    awsError,
    collectingIo,
    runOpsTool,
    siteServer,
    SiteBehaviour,
    tempFiles,
    workloadStack,
} from "./support";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);
const FAST = { alarmHoldMs: 1, snsMetricPollMs: 1, snsMetricWaitMs: 50, httpTimeoutMs: 5_000 };

const mocks = {
    cloudtrail: mockClient(CloudTrailClient),
    lambda: mockClient(LambdaClient),
    logs: mockClient(CloudWatchLogsClient),
    cloudfront: mockClient(CloudFrontClient),
    waf: mockClient(WAFV2Client),
    cloudwatch: mockClient(CloudWatchClient),
};

/** Every AWS answer of a healthy prod stack, in the shapes of the API references. */
function healthyAws() {
    mocks.cloudtrail.on(GetTrailStatusCommand).resolves({
        IsLogging: true,
        LatestDeliveryTime: minutesAgo(4),
        LatestCloudWatchLogsDeliveryTime: minutesAgo(2),
        StartLoggingTime: minutesAgo(600),
        LatestNotificationError: "",
    });
    mocks.lambda.on(GetFunctionConfigurationCommand).callsFake((input) => ({
        FunctionName: FUNCTIONS.find((f) => f.arn === input.FunctionName)?.name,
        FunctionArn: input.FunctionName,
        Runtime: "nodejs22.x",
        State: "Active",
        LastUpdateStatus: "Successful",
        Architectures: ["arm64"],
    }));
    // Two pages of platform init reports, both successful: the check must read the second page too.
    mocks.logs
        .on(FilterLogEventsCommand)
        .callsFake((input) =>
            input.nextToken === undefined
                ? { events: [{ logStreamName: "2026/11/30/[$LATEST]abc", timestamp: NOW - 60_000, message: "INIT_REPORT Init Duration: 212.44 ms\tPhase: init\tStatus: success" }], nextToken: "page-2", searchedLogStreams: [] }
                : { events: [{ logStreamName: "2026/11/30/[$LATEST]def", timestamp: NOW - 30_000, message: '{"time":"2026-11-30T11:59:30Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success"}}' }] },
        );
    mocks.cloudfront.on(GetDistributionConfigCommand).resolves({ ETag: "E2QWRUHAPOMQZL", DistributionConfig: { WebACLId: WEB_ACL_ARN, Enabled: true } as DistributionConfig });
    mocks.waf.on(GetLoggingConfigurationCommand).resolves({
        LoggingConfiguration: { ResourceArn: WEB_ACL_ARN, LogDestinationConfigs: ["arn:aws:logs:us-east-1:222222222222:log-group:aws-waf-logs-edge"] },
    });
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: ALARM_NAME, AlarmActions: [TOPIC_ARN], ActionsEnabled: true, StateValue: "OK" }] });
    mocks.cloudwatch.on(SetAlarmStateCommand).resolves({});
    // SNS metrics arrive late: the first poll sees nothing, the second the delivery.
    let polls = 0;
    mocks.cloudwatch.on(GetMetricStatisticsCommand).callsFake((input) => {
        if (input.MetricName === "NumberOfNotificationsFailed") return { Label: input.MetricName, Datapoints: [] };
        return { Label: input.MetricName, Datapoints: polls++ === 0 ? [] : [{ Timestamp: new Date(NOW), Sum: 1, Unit: "Count" }] };
    });
}

async function smoke(args: string[], site: SiteBehaviour = {}, stackOptions: { stack?: string } = {}, aws?: Record<string, unknown>) {
    const server = await siteServer(site);
    const { exported, outputs } = workloadStack({ siteUrl: server.url, ...stackOptions });
    const files = tempFiles({ "export.json": exported, "outputs.json": outputs });
    const io = collectingIo();
    try {
        const code = await main(["--stack", stackOptions.stack ?? "prod", "--export", files.file("export.json"), "--outputs", files.file("outputs.json"), ...args], io, {
            allowHttp: true,
            pulumiCli: false,
            timing: FAST,
            now: () => NOW,
            aws,
        });
        return { code, stdout: io.out, stderr: io.err, requests: server.requests };
    } finally {
        await server.close();
        files.cleanup();
    }
}

const line = (stdout: string, start: string) => stdout.split("\n").find((l) => l.startsWith(start)) ?? `(no line starting "${start}" in:\n${stdout})`;

describe("npm run smoke", () => {
    beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));
    after(() => Object.values(mocks).forEach((m) => m.restore()));

    it("exits 0 on a healthy prod stack, one PASS line per check with its evidence", async () => {
        healthyAws();
        const ran = await smoke(["--fire-alarm"]);
        assert.strictEqual(ran.code, 0, ran.stdout + ran.stderr);
        assert.match(line(ran.stdout, "PASS  trail audit-trail"), /IsLogging=true, LatestDeliveryTime 4 min ago, LatestCloudWatchLogsDeliveryTime 2 min ago/);
        for (const f of FUNCTIONS) {
            assert.match(line(ran.stdout, `PASS  function ${f.name} active`), /State=Active, LastUpdateStatus=Successful, nodejs22.x/);
            assert.match(line(ran.stdout, `PASS  function ${f.name} initialises`), /no init error in \/swiftsupport\/prod\/.*\(2 init reports read\)/);
        }
        assert.match(line(ran.stdout, "PASS  site"), /200, strict-transport-security, content-security-policy, x-content-type-options, x-frame-options, referrer-policy as configured/);
        assert.match(line(ran.stdout, "PASS  POST /api/tickets without a token is 401"), /401/);
        assert.match(line(ran.stdout, "PASS  POST /api/tickets/{id}/analysis without a signature is 403"), /403/);
        assert.match(line(ran.stdout, `PASS  web ACL edge-acl associated with distribution ${DISTRIBUTION_ID}`), new RegExp(`WebACLId=${WEB_ACL_ARN}`));
        assert.match(line(ran.stdout, "PASS  web ACL edge-acl logging"), /aws-waf-logs-edge/);
        assert.match(line(ran.stdout, `PASS  alarm ${ALARM_NAME} notifies through SNS`), /NumberOfNotificationsDelivered=1, Failed=0/);
        assert.match(ran.stdout, /14 passed, 0 failed, 0 skipped, 0 denied/);
        // To ALARM and back, in that order.
        assert.deepStrictEqual(mocks.cloudwatch.commandCalls(SetAlarmStateCommand).map((c) => c.args[0].input.StateValue), ["ALARM", "OK"]);
        assert.strictEqual(mocks.cloudtrail.commandCalls(GetTrailStatusCommand)[0].args[0].input.Name, TRAIL_ARN);
        assert.ok(ran.requests.every((r) => r.endsWith("auth=no")), "the API checks send no credentials");
    });

    it("prints the --json document with every check, the summary and the exit code", async () => {
        healthyAws();
        const ran = await smoke(["--json"]);
        assert.strictEqual(ran.code, 0, ran.stdout);
        const report: SmokeReport = JSON.parse(ran.stdout);
        assert.strictEqual(report.command, "smoke");
        assert.strictEqual(report.stack, "prod");
        assert.strictEqual(report.exitCode, 0);
        assert.deepStrictEqual(report.summary, { pass: 13, fail: 0, skip: 1, "no-access": 0 });
        assert.deepStrictEqual(report.checks.find((c) => c.id === "alarm")?.status, "skip", "no alarm is fired without --fire-alarm");
        assert.strictEqual(mocks.cloudwatch.commandCalls(SetAlarmStateCommand).length, 0);
        for (const c of report.checks) assert.deepStrictEqual(Object.keys(c).sort(), ["evidence", "id", "status", "title"]);
    });

    it("exits 1 on a broken stack and says what is wrong in each failing line", async () => {
        healthyAws();
        mocks.cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestDeliveryTime: minutesAgo(3), LatestCloudWatchLogsDeliveryTime: minutesAgo(300), LatestCloudWatchLogsDeliveryError: "AccessDenied" });
        mocks.lambda.on(GetFunctionConfigurationCommand, { FunctionName: FUNCTIONS[1].arn }).resolves({ State: "Active", LastUpdateStatus: "Failed", LastUpdateStatusReason: "The role defined for the function cannot be assumed by Lambda.", Runtime: "nodejs22.x" });
        // analysis was updated 2 hours ago: its log group is searched from then on, not for the whole day.
        mocks.lambda.on(GetFunctionConfigurationCommand, { FunctionName: FUNCTIONS[2].arn }).resolves({ State: "Active", LastUpdateStatus: "Successful", Runtime: "nodejs22.x", LastModified: "2026-11-30T10:00:00.000+0000" });
        mocks.logs.on(FilterLogEventsCommand, { logGroupName: "/swiftsupport/prod/analysis-fn" }).resolves({
            events: [{ timestamp: NOW - 60_000, message: '{"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module \'ulid\'"}' }],
        });
        mocks.waf.on(GetLoggingConfigurationCommand).rejects(awsError("WAFNonexistentItemException", "AWS WAF couldn't perform the operation because your resource doesn't exist."));
        const withoutCsp = { "strict-transport-security": "max-age=300", "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "strict-origin-when-cross-origin" };
        const ran = await smoke([], { headers: withoutCsp, analysisStatus: 200 });
        assert.strictEqual(ran.code, 1, ran.stdout + ran.stderr);
        assert.match(line(ran.stdout, "FAIL  trail audit-trail"), /LatestCloudWatchLogsDeliveryTime older than 60 min, LatestCloudWatchLogsDeliveryError AccessDenied/);
        assert.match(line(ran.stdout, "FAIL  function submit-fn active"), /LastUpdateStatus=Failed.*cannot be assumed/);
        assert.match(line(ran.stdout, "FAIL  function analysis-fn initialises"), /1 init error\(s\) in \/swiftsupport\/prod\/analysis-fn, since the last update 2026-11-30T10:00:00.000Z; latest: .*Runtime.ImportModuleError/);
        assert.strictEqual(mocks.logs.commandCalls(FilterLogEventsCommand, { logGroupName: "/swiftsupport/prod/analysis-fn" })[0].args[0].input.startTime, Date.parse("2026-11-30T10:00:00Z"));
        assert.strictEqual(mocks.logs.commandCalls(FilterLogEventsCommand, { logGroupName: "/swiftsupport/prod/status-fn" })[0].args[0].input.startTime, NOW - 24 * 3_600_000);
        assert.match(line(ran.stdout, "PASS  function status-fn active"), /Active/);
        assert.match(line(ran.stdout, "FAIL  site"), /strict-transport-security is "max-age=300", expected "max-age=63072000; includeSubDomains; preload"; content-security-policy missing/);
        assert.match(line(ran.stdout, "FAIL  POST /api/tickets/{id}/analysis without a signature is 403"), /^FAIL.*: 200/);
        assert.match(line(ran.stdout, "FAIL  web ACL edge-acl logging"), /no logging configuration/);
        assert.match(ran.stdout, /7 passed, 6 failed, 1 skipped, 0 denied/);
    });

    it("exits 1 when the distribution is not associated with the stack's web ACL", async () => {
        healthyAws();
        mocks.cloudfront.on(GetDistributionConfigCommand).resolves({ ETag: "E1", DistributionConfig: { WebACLId: "", Enabled: true } as DistributionConfig });
        const ran = await smoke([]);
        assert.strictEqual(ran.code, 1);
        assert.match(line(ran.stdout, "FAIL  web ACL edge-acl associated"), /the distribution has no web ACL/);
    });

    it("exits 1 when SNS reports a failed delivery after the alarm fires", async () => {
        healthyAws();
        mocks.cloudwatch.on(GetMetricStatisticsCommand).callsFake((input) => ({ Datapoints: input.MetricName === "NumberOfNotificationsFailed" ? [{ Sum: 1 }] : [] }));
        const ran = await smoke(["--fire-alarm"]);
        assert.strictEqual(ran.code, 1);
        assert.match(line(ran.stdout, "FAIL  alarm"), /NumberOfNotificationsFailed=1, Delivered=0/);
        assert.deepStrictEqual(mocks.cloudwatch.commandCalls(SetAlarmStateCommand).map((c) => c.args[0].input.StateValue), ["ALARM", "OK"], "the alarm is set back even when delivery failed");
    });

    it("gives up on the SNS metrics after the bounded wait instead of hanging", async () => {
        healthyAws();
        mocks.cloudwatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
        const ran = await smoke(["--fire-alarm"]);
        assert.strictEqual(ran.code, 1);
        assert.match(line(ran.stdout, "FAIL  alarm"), /no delivery in the metrics 0 s after firing/);
    });

    it("exits 2 naming the missing permission when one call is denied, after running every other check", async () => {
        healthyAws();
        mocks.lambda
            .on(GetFunctionConfigurationCommand)
            .rejects(awsError("AccessDeniedException", `User: arn:aws:sts::222222222222:assumed-role/Auditor/jane is not authorized to perform: lambda:GetFunctionConfiguration on resource: ${FUNCTIONS[0].arn} because no identity-based policy allows the lambda:GetFunctionConfiguration action`, 403));
        // CloudFront's denial does not name the action: the tool's own table does.
        mocks.cloudfront.on(GetDistributionConfigCommand).rejects(awsError("AccessDenied", "Access denied", 403));
        const ran = await smoke([]);
        assert.strictEqual(ran.code, 2, ran.stdout);
        assert.match(line(ran.stdout, "DENY  function status-fn active"), /missing permission lambda:GetFunctionConfiguration/);
        assert.match(line(ran.stdout, "DENY  web ACL edge-acl associated"), /missing permission cloudfront:GetDistributionConfig/);
        assert.match(line(ran.stdout, "PASS  trail audit-trail"), /IsLogging=true/);
        assert.match(ran.stdout, /Missing permissions: cloudfront:GetDistributionConfig, lambda:GetFunctionConfiguration/);
    });

    /**
     * Runs smoke with CloudTrail unmocked, speaking HTTP to a loopback CloudTrail that throttles the first
     * `throttled` requests; returns what each request carried.
     */
    async function withLoopbackCloudTrail(throttled: number, args: string[], clientConfig: Record<string, unknown>) {
        mocks.cloudtrail.restore();
        const calls: { target: string; authorization: string }[] = [];
        const endpoint = http.createServer((req, res) => {
            calls.push({ target: String(req.headers["x-amz-target"]), authorization: String(req.headers.authorization) });
            res.setHeader("content-type", "application/x-amz-json-1.1");
            if (calls.length <= throttled) {
                res.statusCode = 400;
                res.end(JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }));
                return;
            }
            res.end(JSON.stringify({ IsLogging: true, LatestDeliveryTime: (NOW - 60_000) / 1000, LatestCloudWatchLogsDeliveryTime: (NOW - 60_000) / 1000 }));
        });
        await new Promise<void>((r) => endpoint.listen(0, "127.0.0.1", r));
        try {
            const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
            return { ran: await smoke(args, {}, {}, { endpoint: url, ...clientConfig }), calls };
        } finally {
            await new Promise((r) => endpoint.close(r));
            mocks.cloudtrail = mockClient(CloudTrailClient);
        }
    }

    it("retries a throttled call with the SDK's retry strategy and passes once AWS answers", async () => {
        healthyAws();
        const { ran, calls } = await withLoopbackCloudTrail(2, [], { credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
        assert.strictEqual(ran.code, 0, ran.stdout);
        assert.match(line(ran.stdout, "PASS  trail audit-trail"), /IsLogging=true, LatestDeliveryTime 1 min ago/);
        assert.deepStrictEqual(calls.map((c) => c.target), Array(3).fill("CloudTrail_20131101.GetTrailStatus"));
    });

    it("signs with the --profile's credentials from the shared files", async () => {
        healthyAws();
        const files = tempFiles({
            credentials: "[ops-test]\naws_access_key_id = AKIDPROFILETEST\naws_secret_access_key = secret\n",
            config: "[profile ops-test]\nregion = eu-central-1\n",
        });
        const saved = { c: process.env.AWS_SHARED_CREDENTIALS_FILE, f: process.env.AWS_CONFIG_FILE, k: process.env.AWS_ACCESS_KEY_ID };
        process.env.AWS_SHARED_CREDENTIALS_FILE = files.file("credentials");
        process.env.AWS_CONFIG_FILE = files.file("config");
        delete process.env.AWS_ACCESS_KEY_ID;
        try {
            const { ran, calls } = await withLoopbackCloudTrail(0, ["--profile", "ops-test"], {});
            assert.strictEqual(ran.code, 0, ran.stdout + ran.stderr);
            assert.match(calls[0].authorization, /Credential=AKIDPROFILETEST\/\d{8}\/eu-west-1\/cloudtrail\/aws4_request/, "the trail's own region, the profile's keys");
        } finally {
            for (const [k, v] of [["AWS_SHARED_CREDENTIALS_FILE", saved.c], ["AWS_CONFIG_FILE", saved.f], ["AWS_ACCESS_KEY_ID", saved.k]] as const) {
                if (v === undefined) delete process.env[k];
                else process.env[k] = v;
            }
            files.cleanup();
        }
    });

    it("runs the Pulumi CLI on PATH for the export and outputs when no file is given", async () => {
        healthyAws();
        const server = await siteServer();
        const { exported, outputs } = workloadStack({ siteUrl: server.url });
        // A stand-in `pulumi` answering exactly the two commands smoke runs (and `version`, its PATH probe).
        const files = tempFiles({
            "export.json": exported,
            "outputs.json": outputs,
            pulumi: [
                "#!/bin/sh",
                'dir=$(dirname "$0")',
                'case "$*" in',
                '  "version") echo v3.200.0 ;;',
                '  "stack export --stack prod") cat "$dir/export.json" ;;',
                '  "stack output --json --stack prod") cat "$dir/outputs.json" ;;',
                '  *) echo "error: no stack named \'$4\' found" >&2; exit 255 ;;',
                "esac",
            ].join("\n"),
        });
        fs.chmodSync(files.file("pulumi"), 0o755);
        const savedPath = process.env.PATH;
        process.env.PATH = `${files.dir}${path.delimiter}${savedPath}`;
        try {
            assert.strictEqual(pulumiOnPath(), true);
            const io = collectingIo();
            const code = await main(["--stack", "prod", "--json"], io, { allowHttp: true, timing: FAST, now: () => NOW });
            assert.strictEqual(code, 0, io.out + io.err);
            const report: SmokeReport = JSON.parse(io.out);
            assert.strictEqual(report.source, "pulumi stack export --stack prod");
            assert.strictEqual(report.summary.pass, 13);
            const wrong = collectingIo();
            assert.strictEqual(await main(["--stack", "staging"], wrong, { allowHttp: true }), 2);
            assert.match(wrong.err, /^smoke: pulumi stack export --stack staging failed: error: no stack named 'staging' found\n$/);
        } finally {
            process.env.PATH = savedPath;
            await server.close();
            files.cleanup();
        }
    });

    it("is wired as the npm script: exit code and one stderr line from the real entry point", async () => {
        const ran = await runOpsTool("smoke", ["--stack", "dev", "--export", "/nonexistent/dev.json"]);
        assert.strictEqual(ran.code, 2);
        assert.strictEqual(ran.stderr, "smoke: --export /nonexistent/dev.json: no such file\n");
        assert.strictEqual(ran.stdout, "");
    });

    describe("bad input exits 2 with one line", () => {
        it("without --stack", async () => {
            const io = collectingIo();
            assert.strictEqual(await main([], io, { pulumiCli: false }), 2);
            assert.match(io.err, /^smoke: missing --stack \(usage: npm run smoke/);
        });

        it("without an export file or the Pulumi CLI", async () => {
            const io = collectingIo();
            assert.strictEqual(await main(["--stack", "dev"], io, { pulumiCli: false }), 2);
            assert.match(io.err, /give --export FILE \(from `pulumi stack export --stack dev > dev.json`\), or install the Pulumi CLI/);
        });

        it("with the export of another stack", async () => {
            const { exported } = workloadStack({ siteUrl: "https://example.org" });
            const files = tempFiles({ "prod.json": exported });
            const io = collectingIo();
            try {
                assert.strictEqual(await main(["--stack", "dev", "--export", files.file("prod.json")], io, { pulumiCli: false }), 2);
                assert.match(io.err, /is stack "prod", not "dev"/);
            } finally {
                files.cleanup();
            }
        });

        it("with --fire-alarm on a stack without alarms", async () => {
            const { exported } = workloadStack({ stack: "dev", siteUrl: "https://example.org" });
            const files = tempFiles({ "dev.json": exported });
            const io = collectingIo();
            try {
                assert.strictEqual(await main(["--stack", "dev", "--export", files.file("dev.json"), "--fire-alarm"], io, { pulumiCli: false }), 2);
                assert.match(io.err, /--fire-alarm: stack dev has no alarm/);
            } finally {
                files.cleanup();
            }
        });
    });
});
