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
            const ordered: unknown = args.props.orderedCacheBehaviors;
            const behaviours = [{ path: "default", value: args.props.defaultCacheBehavior as unknown }];
            if (Array.isArray(ordered)) behaviours.push(...ordered.map((b) => ({ path: String(b?.pathPattern), value: b as unknown })));
            // A malformed (non-object) behaviour has no protocol policy to judge; the provider rejects it anyway.
            return behaviours.map((b) => ({
                path: b.path,
                policy: b.value !== null && typeof b.value === "object" ? (b.value as { viewerProtocolPolicy?: unknown }).viewerProtocolPolicy : undefined,
            }));
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
