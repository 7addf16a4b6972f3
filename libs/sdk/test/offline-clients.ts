import type { ActivityInput } from '@chronicle/contracts';
import { ActivityClient } from '../src/lib/activity-client';
import type { ActivityClientOptions } from '../src/lib/activity-client.options';

// No broker listens on port 1: a send fails at once with a refused connection, so these clients
// cover what the SDK decides before Kafka is involved.
export const NO_BROKER = ['127.0.0.1:1'];

export const viewed = (userId: string): ActivityInput => ({
  type: 'app.viewed',
  actor: { type: 'user', id: userId },
  entity: { type: 'app', id: 'app_42' },
  metadata: { referrer: 'search' },
});

/** Clients of a spec file without a broker, each closed by `closeAll` (call it in afterAll). */
export function offlineClients() {
  const clients: ActivityClient[] = [];
  return {
    client(options: Partial<ActivityClientOptions> = {}): ActivityClient {
      const created = new ActivityClient({
        source: '/services/app-catalog',
        brokers: NO_BROKER,
        shutdownTimeoutMs: 50,
        // Short, so the connection attempts kafkajs cannot cancel end soon after close().
        retry: { initialMs: 10, maxMs: 20 },
        logger: { warn: () => undefined },
        ...options,
      });
      clients.push(created);
      return created;
    },
    closeAll: () => Promise.all(clients.map((created) => created.close())),
  };
}
