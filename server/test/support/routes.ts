import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { Role } from '@union/shared';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/common/auth.decorators';

/** One route as the server registers it, with its guard metadata. */
export interface RegisteredRoute {
  /** e.g. `POST /api/membership/applications/{id}/approve` */
  key: string;
  method: string;
  /** OpenAPI-style path with `{param}`. */
  path: string;
  isPublic: boolean;
  /** Roles of `@Roles(...)`, or null when any logged-in user may call it. */
  roles: Role[] | null;
}

const join = (...parts: string[]) => '/' + parts.map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/');

/** Every controller route of the running application (from Nest's own metadata, not from a list). */
export function listRoutes(app: INestApplication): RegisteredRoute[] {
  const modules = app.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: RegisteredRoute[] = [];
  const wrappers = [...modules.values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of wrappers) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = Reflect.getMetadata(PATH_METADATA, metatype) as string | string[];
    const proto = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (sub === undefined || method === undefined) continue;
      for (const b of [base].flat()) {
        for (const s of [sub].flat()) {
          const path = join('api', b ?? '', s).replace(/:(\w+)/g, '{$1}');
          const verb = RequestMethod[method];
          routes.push({
            key: `${verb} ${path}`,
            method: verb,
            path,
            isPublic: !!reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, metatype]),
            roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, metatype]) ?? null,
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
