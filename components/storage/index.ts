export { PrivateBucket, PrivateBucketArgs } from "./privateBucket";
