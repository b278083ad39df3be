import type { IncomingMessage, Server, ServerResponse } from 'http';
import { RequestMethod, SetMetadata, type INestApplication } from '@nestjs/common';
import {
  METHOD_METADATA, PATH_METADATA, REDIRECT_METADATA, RENDER_METADATA, ROUTE_ARGS_METADATA, SSE_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { GuardsConsumer, GuardsContextCreator } from '@nestjs/core/guards';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestContainer } from '@nestjs/core/injector/container';
import { InterceptorsConsumer, InterceptorsContextCreator } from '@nestjs/core/interceptors';
import { PipesConsumer, PipesContextCreator } from '@nestjs/core/pipes';
import { RouteParamsFactory } from '@nestjs/core/router/route-params-factory';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { Store, storage } from 'nestjs-pino/storage';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/config';
import { ErrorEnvelopeFilter } from './error.filter';
import { httpLogOptions } from './http-logging';

export const FAST_ROUTE_KEY = 'fastRoute';

/**
 * Marks a hot route (the claim rush, the household-code scan, nearby stations) to be served by
 * {@link installFastRoutes}: the same guards, pipes, parameter decorators, body parsing, security headers, CORS,
 * request log and error envelope as every route, without Express's router walking the application's middleware
 * stack and Nest's per-route wrappers. The route stays an ordinary controller method (and in the OpenAPI document);
 * with `FAST_ROUTES=false` Express serves it like any other.
 * The method must return its answer (no `@Res()`, `@Next()`, `@Redirect()`, `@Render()` or `@Sse()`):
 * the installer refuses such a route at start.
 */
export const FastRoute = () => SetMetadata(FAST_ROUTE_KEY, true);

const installed = new WeakMap<Server, string[]>();
/** The fast routes serving `server` (`Controller.method` names), empty when none are installed (FAST_ROUTES=false). */
export const fastRoutesOf = (server: Server): string[] => installed.get(server) ?? [];

/** One fast route: its method, path pattern and the Nest handler with guards and pipes applied. */
interface CompiledRoute {
  method: string;
  pattern: RegExp;
  paramNames: string[];
  /** Runs guards, interceptors, pipes and the controller method with Express's `(req, res, next)` and writes the answer; rejects with what they throw. */
  handle: (req: Request, res: Response, next: NextFunction) => Promise<unknown>;
  name: string;
}

/**
 * Nest's own per-route executor, built as Nest's router builds it (RouterExplorer): guards, interceptors, pipes and
 * parameter decorators resolved in the controller's module, the answer written with the route's status and headers.
 */
function routeExecutor(app: INestApplication): RouterExecutionContext {
  const container = (app as unknown as { container: NestContainer }).container;
  const config = container.applicationConfig!;
  return new RouterExecutionContext(new RouteParamsFactory(), new PipesContextCreator(container, config), new PipesConsumer(),
    new GuardsContextCreator(container, config), new GuardsConsumer(), new InterceptorsContextCreator(container, config), new InterceptorsConsumer(),
    container.getHttpAdapterRef());
}

/** Runs Express middleware one after the other on `req`/`res`; rejects with the first error one passes to `next`. */
function runMiddleware(middleware: RequestHandler[], req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    let i = 0;
    const next = (err?: unknown) => {
      if (err) return reject(err);
      const mw = middleware[i++];
      if (!mw) return resolve();
      try {
        mw(req, res, next);
      } catch (e) {
        reject(e);
      }
    };
    next();
  });
}

function compilePath(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path.split('/').map((part) => {
    if (part.startsWith(':')) {
      paramNames.push(part.slice(1));
      return '([^/]+)';
    }
    if (/[^\w.-]/.test(part)) throw new Error(`fast route path ${path}: only literal segments and :params are supported`);
    return part.replace(/\./g, '\\.');
  }).join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

/** The route's path parameters, decoded; undefined when one is not valid percent-encoding (Express then answers). */
function decodeParams(route: CompiledRoute, match: RegExpExecArray): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    route.paramNames.forEach((n, i) => { params[n] = decodeURIComponent(match[i + 1]); });
  } catch {
    return undefined;
  }
  return params;
}

const joinPath = (...parts: (string | undefined)[]) =>
  `/${parts.flatMap((p) => (p ?? '').split('/')).filter(Boolean).join('/')}`;

/**
 * Finds every controller method marked {@link FastRoute} and puts a dispatcher in front of Express on the HTTP
 * server: a request whose method and path match one of them (exactly, no trailing slash) is answered by
 * 1. Express's own request/response objects (the same prototypes `app.handle` sets, so `req.ip`, `req.query`,
 *    `res.json` behave as on every route);
 * 2. one log line when the answer is done ({@link httpLogOptions}'s level, fields and path filter);
 * 3. `middleware`: the application's own request id, security headers, CORS and body parsers, the very instances
 *    Express runs;
 * 4. Nest's guards (the global AuthGuard, route guards such as the throttler), interceptors, pipes (the global
 *    ValidationPipe) and parameter decorators, through the executor Nest's router itself uses, then the method;
 * 5. the answer as Nest writes it for the route (`@HttpCode`, `@Header`, JSON through Express's `res.json`), or the
 *    error envelope of {@link ErrorEnvelopeFilter}.
 * Anything else (other paths, HEAD, OPTIONS preflights, a path with a trailing slash or odd casing) goes to Express.
 * Answers the number of fast routes installed (0 with `FAST_ROUTES=false`; see {@link fastRoutesOf}).
 * @throws Error at start when a marked method uses `@Res()`/`@Next()`, `@Redirect()`, `@Render()` or `@Sse()`.
 */
export function installFastRoutes(app: INestApplication, config: AppConfig, middleware: RequestHandler[], globalPrefix: string): number {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const executor = routeExecutor(app);
  const routes: CompiledRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, (...args: unknown[]) => unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const controllerPath = Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | undefined;
    for (const methodName of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const fn = instance[methodName];
      if (!Reflect.getMetadata(FAST_ROUTE_KEY, fn)) continue;
      const name = `${wrapper.metatype.name}.${methodName}`;
      for (const key of [REDIRECT_METADATA, RENDER_METADATA, SSE_METADATA]) {
        if (Reflect.getMetadata(key, fn) !== undefined) throw new Error(`fast route ${name}: ${key} is not supported`);
      }
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, wrapper.metatype, methodName) ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(args)) {
        const type = Number(key.split(':')[0]);
        if (type === RouteParamtypes.RESPONSE || type === RouteParamtypes.NEXT) throw new Error(`fast route ${name}: @Res()/@Next() are not supported`);
      }
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod;
      const method = RequestMethod[requestMethod];
      if (method !== 'GET' && method !== 'POST') throw new Error(`fast route ${name}: only GET and POST are supported`);
      const { pattern, paramNames } = compilePath(joinPath(globalPrefix, controllerPath, Reflect.getMetadata(PATH_METADATA, fn) as string));
      const moduleKey = wrapper.host?.token;
      if (!moduleKey) throw new Error(`fast route ${name}: its module is unknown`);
      const handle = executor.create(instance, fn, methodName, moduleKey, requestMethod) as CompiledRoute['handle'];
      routes.push({ method, pattern, paramNames, handle, name });
    }
  }
  if (!config.fastRoutes || !routes.length) return 0;
  installed.set(app.getHttpServer(), routes.map((r) => r.name));

  const server: Server = app.getHttpServer();
  const express = app.getHttpAdapter().getInstance() as Express;
  const filter = new ErrorEnvelopeFilter();
  const logger = PinoLogger.root;
  const logOptions = httpLogOptions(config);
  const ignored = typeof logOptions.autoLogging === 'object' ? logOptions.autoLogging.ignore : undefined;
  const expressListeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');

  /**
   * The request's log line, in pino-http's shape and with its serializers (request id, method, path; status;
   * response time in ms): written when the answer is finished or the client went away. Unlike pino-http no child
   * logger is made per request; lines a handler logs itself carry no request id, except the one of a 5xx below.
   */
  const logWhenDone = (req: Request, res: Response, startedAt: number) => {
    if (ignored?.(req)) return;
    res.once('close', () => {
      const failed = res.statusCode >= 500 || !res.writableFinished;
      const level = failed ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      // the raw request and response, as pino-http logs them: the logger's serializers (httpLogOptions) pick the fields
      logger[level]({ service: 'union-api', req, res, responseTime: Date.now() - startedAt },
        res.writableFinished ? (failed ? 'request errored' : 'request completed') : 'request aborted');
    });
  };

  const serve = async (route: CompiledRoute, params: Record<string, string>, req: Request, res: Response) => {
    const next: NextFunction = () => undefined;
    try {
      await runMiddleware(middleware, req, res);
      req.params = params;
      await route.handle(req, res, next);
    } catch (e) {
      const [status] = filter.toEnvelope(e);
      const answer = () => filter.catch(e, new ExecutionContextHost([req, res, next]));
      // A fault is logged by the filter with this request's id, as on Express routes.
      if (status >= 500) storage.run(new Store(logger.child({ req: { id: (req as { id?: string }).id } })), answer);
      else answer();
    }
  };

  server.on('request', (rawReq: IncomingMessage, rawRes: ServerResponse) => {
    const method = rawReq.method ?? '';
    const url = rawReq.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    let route: CompiledRoute | undefined;
    let match: RegExpExecArray | null = null;
    for (const r of routes) {
      if (r.method === method && (match = r.pattern.exec(path))) { route = r; break; }
    }
    const params = route && match ? decodeParams(route, match) : undefined;
    if (!route || !params) {
      for (const l of expressListeners) l.call(server, rawReq, rawRes);
      return;
    }
    // What express's app.handle does before routing: the circular references and its request/response prototypes.
    const req = rawReq as Request;
    const res = rawRes as Response;
    (req as { res?: Response }).res = res;
    (res as { req?: Request }).req = req;
    Object.setPrototypeOf(req, express.request);
    Object.setPrototypeOf(res, express.response);
    if (!res.locals) res.locals = Object.create(null);
    logWhenDone(req, res, Date.now());
    void serve(route, params, req, res);
  });
  return routes.length;
}
