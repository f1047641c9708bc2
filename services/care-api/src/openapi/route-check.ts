import { RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@rpm/service-kit';
import { ROLES_KEY } from '../auth/roles.decorator';
import { routeKey, successStatusOf, type RouteSpec } from './route-spec';

/** A route as Nest registers it, read from the same metadata Nest's router and our guard read. */
export interface RegisteredRoute {
  readonly method: string;
  /** In OpenAPI form: /api/v1/patients/{id}. */
  readonly path: string;
  /** 'none': no @Roles and not public, which the guard refuses to everyone. */
  readonly roles: readonly string[] | 'public' | 'none';
  readonly successStatus: number;
}

export interface RouteDisagreements {
  /** Served but missing from the route table. */
  readonly undocumented: string[];
  /** In the route table but served by no controller. */
  readonly unregistered: string[];
  /** In both, with other roles or another success status. */
  readonly mismatched: string[];
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

/** "api/v1/patients" + ":id/protocol" -> "/api/v1/patients/{id}/protocol" (Nest joins controller and handler paths the same way). */
function openApiPath(controllerPath: string, handlerPath: string): string {
  const joined = [controllerPath, handlerPath].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${joined}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The first of handler and class that carries the metadata, as Reflector.getAllAndOverride decides in the guard. */
function metadataOf(key: string, handler: object, controller: object): unknown {
  return Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
}

/** Every route the controllers declare: one per handler and path (a handler may have several paths). */
export function registeredRoutesOf(controllers: readonly Type[]): RegisteredRoute[] {
  const scanner = new MetadataScanner();
  const routes: RegisteredRoute[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function') continue;
      const handlerPaths = asList(Reflect.getMetadata(PATH_METADATA, handler));
      const requestMethod: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
      if (handlerPaths.length === 0 || typeof requestMethod !== 'number') continue;
      const method = RequestMethod[requestMethod]!.toLowerCase();
      const explicitStatus: unknown = Reflect.getMetadata(HTTP_CODE_METADATA, handler);
      const successStatus = typeof explicitStatus === 'number' ? explicitStatus : method === 'post' ? 201 : 200;
      const roles = metadataOf(PUBLIC_ROUTE, handler, controller) ? 'public' : ((metadataOf(ROLES_KEY, handler, controller) as string[] | undefined) ?? 'none');
      for (const controllerPath of controllerPaths.length > 0 ? controllerPaths : ['']) {
        for (const handlerPath of handlerPaths) routes.push({ method, path: openApiPath(controllerPath, handlerPath), roles, successStatus });
      }
    }
  }
  return routes;
}

const rolesText = (roles: readonly string[] | 'public' | 'none'): string => (typeof roles === 'string' ? roles : [...roles].sort().join(','));

/** Where the route table and the controllers disagree; all three lists empty when they agree. */
export function compareRoutes(documented: readonly RouteSpec[], registered: readonly RegisteredRoute[]): RouteDisagreements {
  const table = new Map(documented.map((route) => [routeKey(route.method, route.path), route]));
  const served = new Map(registered.map((route) => [routeKey(route.method, route.path), route]));
  const mismatched: string[] = [];
  for (const [key, actual] of served) {
    const route = table.get(key);
    if (!route) continue;
    if (rolesText(route.roles) !== rolesText(actual.roles)) mismatched.push(`${key}: roles ${rolesText(actual.roles)} served, ${rolesText(route.roles)} documented`);
    if (successStatusOf(route) !== actual.successStatus) mismatched.push(`${key}: status ${actual.successStatus} served, ${successStatusOf(route)} documented`);
  }
  return {
    undocumented: [...served.keys()].filter((key) => !table.has(key)).sort(),
    unregistered: [...table.keys()].filter((key) => !served.has(key)).sort(),
    mismatched: mismatched.sort(),
  };
}
