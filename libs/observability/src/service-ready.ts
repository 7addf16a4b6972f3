import { Gauge, type Registry } from 'prom-client';
import type { HealthReport } from './ops-server';

export const DEFAULT_READINESS_INTERVAL_MS = 5_000;

export interface TrackedReadiness {
  /** The readiness check; each answer also sets the gauge (a throw is "not ready"). */
  check(): Promise<HealthReport>;
  stop(): void;
}

/**
 * `chronicle_service_ready` (1 or 0), set by every evaluation of `check` — the probes' and a timer's
 * every `intervalMs` — so that Prometheus sees "not ready" even when no probe asks. The service is
 * the registry's default label.
 */
export function trackReadiness(
  registry: Registry,
  check: () => Promise<HealthReport>,
  intervalMs = DEFAULT_READINESS_INTERVAL_MS,
): TrackedReadiness {
  const gauge = new Gauge({
    name: 'chronicle_service_ready',
    help: '1 when the service reports ready (its /health/ready answers 200), 0 otherwise; evaluated every few seconds.',
    registers: [registry],
  });
  const tracked = async (): Promise<HealthReport> => {
    try {
      const report = await check();
      gauge.set(report.ok ? 1 : 0);
      return report;
    } catch (error) {
      gauge.set(0);
      throw error;
    }
  };
  const timer = setInterval(() => void tracked().catch(() => undefined), intervalMs);
  timer.unref();
  return { check: tracked, stop: () => clearInterval(timer) };
}
