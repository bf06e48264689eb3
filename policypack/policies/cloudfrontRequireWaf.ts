import { resourcePolicy } from "../lib/guard";
import { tryRead } from "../lib/unknown";

export const cloudfrontRequireWaf = resourcePolicy({
    name: "aws-cloudfront-distribution-require-waf",
    description: "CloudFront distributions should be protected by an AWS WAF web ACL (webAclId).",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate: (args, check) => {
        // An unknown webAclId (a WebAcl created in the same update) is set: presence is what counts.
        const id = tryRead(() => args.props.webAclId).value;
        if (id !== "" && id !== null && id !== undefined) return;
        check.report(`Distribution '${args.name}' has no WAF web ACL: set webAclId to the ARN of an aws.wafv2.WebAcl with ` +
            `scope "CLOUDFRONT" (created in us-east-1).`);
    },
});
