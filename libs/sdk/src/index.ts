export { ActivityClient, InvalidActivityError, TestActivityClient } from './lib/activity-client';
export type { ActivityClientStats, DropReason } from './lib/activity-client';
export type {
  ActivityClientOptions,
  DeliveryListener,
  ErrorListener,
  OverflowPolicy,
  SdkKafkaSecurity,
  TestActivityClientOptions,
} from './lib/activity-client.options';
export type { HttpTransportOptions } from './lib/http-publisher';
