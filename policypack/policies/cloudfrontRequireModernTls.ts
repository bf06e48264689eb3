import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

interface Config {
    minimumProtocolVersion: string;
}

/** CloudFront's security policies, oldest first. */
const ORDER = ["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const cloudfrontRequireModernTls = resourcePolicy<Config>({
    name: "aws-cloudfront-distribution-require-modern-tls",
    description: "CloudFront distributions should use a custom certificate with a TLS 1.2+ security policy " +
        "(the default certificate allows TLSv1).",
    enforcementLevel: "advisory",
    severity: "medium",
    config: {
        minimumProtocolVersion: { type: "string", enum: ORDER, default: "TLSv1.2_2021", description: "Oldest security policy accepted." },
    },
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate: (args, check) => {
        const cert = check.read(() => ({
            defaultCert: args.props.viewerCertificate?.cloudfrontDefaultCertificate as unknown,
            version: args.props.viewerCertificate?.minimumProtocolVersion as unknown,
        }));
        if (isUnknown(cert)) return;
        const wanted = check.config.minimumProtocolVersion;
        if (cert.defaultCert === true) {
            check.report(`Distribution '${args.name}' uses the default CloudFront certificate, which accepts TLSv1: use an ` +
                `ACM certificate with minimumProtocolVersion "${wanted}".`);
            return;
        }
        const version = typeof cert.version === "string" ? cert.version : "TLSv1";
        if (ORDER.indexOf(version) < ORDER.indexOf(wanted)) {
            check.report(`Distribution '${args.name}' accepts ${version}: set viewerCertificate.minimumProtocolVersion to "${wanted}" or newer.`);
        }
    },
});
