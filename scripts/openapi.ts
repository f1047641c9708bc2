/**
 * Writes docs/openapi.json: the care-api document generated from the zod contracts and the route
 * table, the same one care-api serves at /api/docs. Usage: npm run openapi
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@rpm/service-kit';
import { OPENAPI_JSON_FILE, careApiOpenApiJson } from '../services/care-api/src/openapi/care-api.openapi';

const file = join(workspaceRoot(), OPENAPI_JSON_FILE);
writeFileSync(file, careApiOpenApiJson());
console.log(`wrote ${OPENAPI_JSON_FILE}`);
