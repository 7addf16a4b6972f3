export { ActivityClient } from './lib/activity-client';
export type { ActivityClientStats, DropReason } from './lib/activity-client';
export type {
  ActivityClientOptions,
  DeliveryListener,
  OverflowPolicy,
  SdkKafkaSecurity,
} from './lib/activity-client.options';
