export { AuditTrail, AuditTrailArgs } from "./auditTrail";
export { AccessAnalyzers, AccessAnalyzersArgs } from "./accessAnalyzers";
export { SecurityAlarms, SecurityAlarmsArgs, SECURITY_FILTERS } from "./securityAlarms";
