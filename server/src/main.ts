import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app.factory';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.port);
  process.stdout.write(`工会服务 listening on http://localhost:${config.port} (API /api, docs /api/docs, database ${config.database.type})\n`);
}

void bootstrap();
