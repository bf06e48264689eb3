import { resourcePolicy } from "../lib/guard";

/**
 * Lambda runtimes and the date AWS deprecated (or will deprecate) them. Sources: the Lambda runtime support
 * policy, and @pulumi/aws's Runtime enum, which marks the ones before 2024 `@deprecated`.
 */
const DEPRECATED_ON: Record<string, string> = {
    "nodejs": "2016-10-31", "nodejs4.3": "2020-03-06", "nodejs4.3-edge": "2019-04-30", "nodejs6.10": "2019-08-12",
    "nodejs8.10": "2020-03-06", "dotnetcore1.0": "2019-07-30", "dotnetcore2.0": "2019-05-30",
    "dotnetcore2.1": "2022-01-05", "dotnetcore3.1": "2023-04-03", "dotnet5.0": "2022-05-10", "dotnet7": "2024-05-14",
    "dotnet6": "2024-12-20", "dotnet8": "2026-11-10",
    "nodejs10.x": "2021-07-30", "nodejs12.x": "2023-03-31", "nodejs14.x": "2023-12-04", "nodejs16.x": "2024-06-12",
    "nodejs18.x": "2025-09-01",
    "python2.7": "2021-07-15", "python3.6": "2022-07-18", "python3.7": "2023-12-04", "python3.8": "2024-10-14",
    "python3.9": "2025-12-15",
    "ruby2.5": "2021-07-30", "ruby2.7": "2023-12-07",
    "java8": "2024-01-08", "go1.x": "2024-01-08", "provided": "2024-01-08",
};

/** Sorts after every day: a runtime without a date is never deprecated by date. */
const NO_DATE = "9999-12-31";

interface Config {
    additionalDeprecatedRuntimes: string[];
}

export const lambdaNoDeprecatedRuntime = resourcePolicy<Config>({
    name: "aws-lambda-function-disallow-deprecated-runtime",
    description: "Lambda functions must use a runtime AWS still supports: deprecated runtimes get no security " +
        "patches and soon cannot be updated.",
    enforcementLevel: "advisory",
    severity: "medium",
    config: {
        additionalDeprecatedRuntimes: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Runtime identifiers to treat as deprecated in addition to the built-in dated list.",
        },
    },
    resourceTypes: ["aws:lambda/function:Function"],
    validate: (args, check) => {
        const runtime = check.read(() => args.props.runtime);
        // Stryker disable next-line ConditionalExpression: a runtime that is not a string (none for an image, unknown in preview) is in neither list, so it passes either way; this narrows the type
        if (typeof runtime !== "string") return;
        const date = DEPRECATED_ON[runtime] as string | undefined;
        // Stryker disable next-line MethodExpression: a YYYY-MM-DD date sorts before every timestamp of its own day, so comparing with the whole timestamp gives the same verdict
        const today = new Date().toISOString().slice(0, 10);
        if ((date ?? NO_DATE) <= today || check.config.additionalDeprecatedRuntimes.includes(runtime)) {
            check.report(`Function '${args.name}' uses runtime ${runtime}${date ? `, deprecated since ${date}` : ", which is deprecated"}: ` +
                `move to a supported runtime (e.g. nodejs22.x, python3.13, java21).`);
        }
    },
});
