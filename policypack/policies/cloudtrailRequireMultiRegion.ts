import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const cloudtrailRequireMultiRegion = resourcePolicy({
    name: "aws-cloudtrail-trail-require-multi-region",
    description: "CloudTrail trails should record every region (isMultiRegionTrail).",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate: (args, check) => {
        const on = check.read(() => args.props.isMultiRegionTrail);
        if (isUnknown(on) || on === true) return;
        check.report(`Trail '${args.name}' records one region only: set isMultiRegionTrail: true.`);
    },
});
