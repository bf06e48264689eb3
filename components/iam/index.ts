export * from "./grant";
export * from "./grants";
export * from "./boundaries";
export * from "./trust";
export * from "./access";
export { PermissionsBoundary, PermissionsBoundaryArgs } from "./permissionsBoundary";
export * from "./resourcePolicy";
export * from "./storageStatements";
export * from "./auditStatements";
