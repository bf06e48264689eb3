export { EdgeWebAcl, EdgeWebAclArgs, CLOUDFRONT_REGION, MANAGED_RULE_GROUPS } from "./webAcl";
export { SiteDistribution, SiteDistributionArgs, API_PATH_PATTERN } from "./siteDistribution";
export { DeliveryLogGroup, DeliveryLogGroupArgs } from "./deliveryLogGroup";
export { contentSecurityPolicy, securityHeadersConfig, securityHeaderValues } from "./securityHeaders";
