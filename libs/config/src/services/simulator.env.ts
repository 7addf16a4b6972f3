import { KAFKA_ENV } from '../connections.env';
import { RUNTIME_ENV } from '../runtime.env';

/** apps/simulator: demo traffic through the SDK; everything else is a command-line flag (`--help`). */
export const SIMULATOR_ENV = { ...KAFKA_ENV, revision: RUNTIME_ENV.revision };
