/**
 * Reconciliation command: `node server/dist/modules/vouchers/commands/reconcile.js` (same environment
 * as the server: DATABASE_URL etc.). Prints the report as JSON; exit code 0 when there is no
 * difference, 1 when there is one, 78 on a configuration error.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../../app.module';
import { ConfigError, loadConfig } from '../../../config/config';
import { SettlementService } from '../settlement.service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const report = await app.get(SettlementService).reconcile(null);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await app.close();
  }
}

void main();
