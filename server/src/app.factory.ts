import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import cors from 'cors';
import { json, NextFunction, Request, RequestHandler, Response, urlencoded } from 'express';
import helmet from 'helmet';
import type { Socket } from 'net';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { createValidationPipe } from './common/validation';
import { ErrorEnvelopeFilter, sendJson } from './common/error.filter';
import { DomainError } from './common/domain-error';
import { installFastRoutes } from './common/fast-routes';
import { assignRequestId } from './common/http-logging';
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
  // The middleware every API request passes, in this order; the same instances serve the fast routes
  // (common/fast-routes.ts), so a hot route parses, refuses and answers exactly like the others.
  // Body parsing with our own error answer: a malformed or oversized body is a 400/413 envelope.
  // Keys that reach an object's prototype are refused outright: class-validator's whitelist does not see them.
  const forbiddenKey = (k: string) => k === '__proto__' || k === 'constructor' || k === 'prototype';
  const requestMiddleware: RequestHandler[] = [
    assignRequestId,
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
    cors({ origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: false, exposedHeaders: ['X-Request-Id'] }),
    json({ limit: '1mb', reviver: (key, value) => { if (forbiddenKey(key)) throw new SyntaxError(`forbidden key ${key}`); return value; } }),
    urlencoded({ extended: false, limit: '1mb' }),
    (req: Request, _res: Response, next: NextFunction) => {
      const keys = Object.keys(req.query ?? {}).concat(req.body && typeof req.body === 'object' ? Object.keys(req.body) : []);
      next(keys.some(forbiddenKey) ? new DomainError('VALIDATION_FAILED', '请求包含不允许的字段', 400) : undefined);
    },
  ];
  app.use(
    ...requestMiddleware,
    (err: any, _req: Request, res: Response, next: NextFunction) => {
      if (!err) return next();
      const [status, body] = new ErrorEnvelopeFilter().toEnvelope(err);
      sendJson(res, status, body);
    },
  );

  // Node closes an idle keep-alive socket after 5 s by default; a proxy or client that reuses it just then gets
  // "other side closed". Keep sockets longer than the proxy in front does (docs/deployment.md).
  const httpServer = app.getHttpServer();
  httpServer.keepAliveTimeout = config.httpKeepAliveSeconds * 1000;
  httpServer.headersTimeout = (config.httpKeepAliveSeconds + 1) * 1000;

  // Requests Node's HTTP parser refuses before Express sees them (oversized headers or URL, bad framing)
  // still get the error envelope.
  httpServer.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(tooLarge ? { code: 'HEADERS_TOO_LARGE', message: '请求地址或请求头过长' } : { code: 'BAD_REQUEST', message: '请求格式有误' });
    socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('工会服务 API').setDescription('Union services: membership, aid, stations, vouchers. Money in fen, times UTC ISO-8601.').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });

  // After everything Express serves is registered: the dispatcher goes in front of Express's request listener.
  await app.init();
  installFastRoutes(app, config, requestMiddleware, 'api');

  await seedOrgTree(app.get(DataSource));
  if (config.seedDemo) await seedDemoPeople(app);
  return app;
}
