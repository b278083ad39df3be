import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import helmet from 'helmet';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { createValidationPipe } from './common/validation';
import { ErrorEnvelopeFilter } from './common/error.filter';
import { seedOrgTree } from './database/seed';
import { seedDemoPeople } from './database/demo';

/**
 * Builds the whole application (not yet listening): global `/api` prefix, validation,
 * error envelope, OpenAPI at `/api/docs` (+ `/api/docs-json`), the H5 build at `/`,
 * on first start the union tree (reference data), and demo people when `seedDemo` is on.
 */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  const express = app.getHttpAdapter().getInstance();
  express.set('trust proxy', 'loopback');
  express.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: false, exposedHeaders: ['X-Request-Id'] });
  // Body parsing with our own error answer: a malformed or oversized body is a 400/413 envelope.
  app.use(json({ limit: '1mb' }), urlencoded({ extended: false, limit: '1mb' }), (err: any, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const [status, body] = new ErrorEnvelopeFilter().toEnvelope(err);
    res.status(status).json(body);
  });

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('工会服务 API').setDescription('Union services: membership, aid, stations, vouchers. Money in fen, times UTC ISO-8601.').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });

  await seedOrgTree(app.get(DataSource));
  if (config.seedDemo) await seedDemoPeople(app);
  return app;
}
