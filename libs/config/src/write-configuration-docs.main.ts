// `npm run docs:configuration`: writes .env.example and docs/configuration.md from the services' schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderConfigurationDoc, renderEnvExample } from './configuration-docs';
import { SERVICE_ENVIRONMENTS } from './service-environments';

const USAGE = `Usage: npm run docs:configuration

Writes .env.example and docs/configuration.md from the services' configuration schemas.

  -h, --help    this text
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  process.stdout.write(USAGE);
} else {
  const root = join(__dirname, '../../..');
  writeFileSync(join(root, '.env.example'), renderEnvExample(SERVICE_ENVIRONMENTS));
  writeFileSync(join(root, 'docs/configuration.md'), renderConfigurationDoc(SERVICE_ENVIRONMENTS));
  console.log('wrote .env.example and docs/configuration.md');
}
