import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const cloudfrontRequireHttps = resourcePolicy({
    name: "aws-cloudfront-distribution-require-https-only",
    description: "Every CloudFront cache behaviour should serve viewers over HTTPS only (viewerProtocolPolicy " +
        "\"redirect-to-https\" or \"https-only\").",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate: (args, check) => {
        const behaviours = check.read(() => {
            const ordered = (args.props.orderedCacheBehaviors ?? []) as { pathPattern?: string; viewerProtocolPolicy?: string }[];
            return [
                { path: "default", policy: args.props.defaultCacheBehavior?.viewerProtocolPolicy as unknown },
                ...ordered.map((b) => ({ path: String(b.pathPattern), policy: b.viewerProtocolPolicy as unknown })),
            ];
        });
        if (isUnknown(behaviours)) return;
        for (const b of behaviours) {
            if (b.policy === "allow-all") {
                check.report(`Distribution '${args.name}' cache behaviour ${b.path} allows plain HTTP: set ` +
                    `viewerProtocolPolicy "redirect-to-https".`);
            }
        }
    },
});
