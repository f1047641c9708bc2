import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { PublicRoute } from '@rpm/service-kit';
import { Roles } from '../auth/roles.decorator';
import { compareRoutes, registeredRoutesOf } from './route-check';
import type { RouteSpec } from './route-spec';

@Controller('api/v1/widgets')
class WidgetsController {
  @Get()
  @Roles('admin', 'nurse')
  list(): void {}

  @Post(':id/polish')
  @HttpCode(200)
  @Roles('admin')
  polish(): void {}

  @Delete(':id')
  @Roles('admin')
  remove(): void {}

  /** Not a route: no HTTP decorator. */
  helper(): void {}
}

@Controller()
@PublicRoute()
class PingController {
  @Get('ping')
  ping(): void {}
}

const route = (overrides: Partial<RouteSpec> & Pick<RouteSpec, 'method' | 'path'>): RouteSpec => ({
  operationId: 'x',
  tag: 'x',
  summary: 'x',
  roles: ['admin'],
  success: { [overrides.method === 'post' ? 201 : 200]: z.unknown() },
  ...overrides,
});

describe('the route check', () => {
  it('reads every route from the controllers as Nest registers it: path, method, roles, success status', () => {
    expect(registeredRoutesOf([WidgetsController, PingController])).toEqual([
      { method: 'get', path: '/api/v1/widgets', roles: ['admin', 'nurse'], successStatus: 200 },
      { method: 'post', path: '/api/v1/widgets/{id}/polish', roles: ['admin'], successStatus: 200 },
      { method: 'delete', path: '/api/v1/widgets/{id}', roles: ['admin'], successStatus: 200 },
      { method: 'get', path: '/ping', roles: 'public', successStatus: 200 },
    ]);
  });

  it('agrees with a table that states the same', () => {
    const table = [
      route({ method: 'get', path: '/api/v1/widgets', roles: ['nurse', 'admin'] }),
      route({ method: 'post', path: '/api/v1/widgets/{id}/polish', success: { 200: z.unknown() } }),
      route({ method: 'delete', path: '/api/v1/widgets/{id}' }),
      route({ method: 'get', path: '/ping', roles: 'public' }),
    ];
    expect(compareRoutes(table, registeredRoutesOf([WidgetsController, PingController]))).toEqual({ undocumented: [], unregistered: [], mismatched: [] });
  });

  it('names routes served but undocumented, documented but not served, and other roles or status', () => {
    const table = [
      route({ method: 'get', path: '/api/v1/widgets', roles: ['admin'] }),
      route({ method: 'post', path: '/api/v1/widgets/{id}/polish' }),
      route({ method: 'get', path: '/api/v1/widgets/{id}' }),
    ];
    expect(compareRoutes(table, registeredRoutesOf([WidgetsController, PingController]))).toEqual({
      undocumented: ['DELETE /api/v1/widgets/{id}', 'GET /ping'],
      unregistered: ['GET /api/v1/widgets/{id}'],
      mismatched: ['GET /api/v1/widgets: roles admin,nurse served, admin documented', 'POST /api/v1/widgets/{id}/polish: status 200 served, 201 documented'],
    });
  });
});
