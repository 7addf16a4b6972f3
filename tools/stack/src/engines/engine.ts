import type { EngineName, StackConfig } from '../stack-config';

export type Progress = (message: string) => void;

/** What the stack needs to know to run one engine; each engine module provides one. */
export interface Engine {
  name: EngineName;
  /** How clients reach the engine this stack runs. */
  url(config: StackConfig): string;
  /** The ports the engine listens on, which must be free before it starts. */
  ports(config: StackConfig): number[];
  /** Installs what is missing, starts the engine's process and returns its pid (readiness is awaited by the caller). */
  start(config: StackConfig, progress: Progress): Promise<number>;
  /** Resolves to the engine's product and version once it answers; rejects while it does not. */
  probe(url: string, config: StackConfig): Promise<string>;
  /** Idempotent set-up once the engine answers: topics, databases. */
  prepare?(url: string): Promise<void>;
  /** The signal that shuts the engine down cleanly. */
  stopSignal: NodeJS.Signals;
  /** How long a clean shutdown may take before the process is killed. */
  stopGraceMs: number;
  /** How long a cold start may take before the stack gives up. */
  startTimeoutMs: number;
}
