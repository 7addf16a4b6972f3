import type { components } from './api-types.generated';

/** A shape of the gateway's API by its name in docs/openapi.json (`ApiSchema<'ActivityPage'>`). */
export type ApiSchema<Name extends keyof components['schemas']> = components['schemas'][Name];
