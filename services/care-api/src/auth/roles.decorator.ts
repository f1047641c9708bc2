import { SetMetadata } from '@nestjs/common';
import type { Role } from '@rpm/contracts';

export const ROLES_KEY = 'rpm:roles';
/** The roles allowed on a route. A route under /api without it is refused (secure by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
