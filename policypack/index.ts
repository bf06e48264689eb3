import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("swiftsupport-aws", {
    description: "Least privilege, no public data and permissions boundaries everywhere, for any Pulumi AWS program.",
    policies,
});
