// @chronicle/kafka-send: how every Chronicle producer sends to Kafka so that no partition is skipped.
export { confirmedSend, PartitionTracker } from './confirmed-send';
