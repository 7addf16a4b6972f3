// `npm run docs:configuration`: writes .env.example and docs/configuration.md from the services' schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc, renderEnvExample } from './configuration-docs';
import { SERVICE_ENVIRONMENTS } from './service-environments';

const root = join(__dirname, '../../..');
writeFileSync(join(root, '.env.example'), renderEnvExample(SERVICE_ENVIRONMENTS));
writeFileSync(join(root, 'docs/configuration.md'), renderConfigurationDoc(SERVICE_ENVIRONMENTS));
console.log('wrote .env.example and docs/configuration.md');
