import { careApiOpenApiDocument } from './care-api.openapi';
import type { OpenApiDocument } from './openapi-document';
import { renderOpenApiPage } from './openapi-page';

describe('the /api/docs/ui page', () => {
  const doc = careApiOpenApiDocument();
  const page = renderOpenApiPage(doc);

  it('shows every operation and every schema, with schema refs as links', () => {
    for (const methods of Object.values(doc.paths)) for (const op of Object.values(methods)) expect(page).toContain(`id="${op.operationId}"`);
    for (const name of Object.keys(doc.components.schemas)) expect(page).toContain(`id="schema-${name}"`);
    expect(page).toContain('<a href="#schema-PatientResponse">');
  });

  it('loads nothing from elsewhere and runs no script', () => {
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\//i);
  });

  it('escapes what the document says', () => {
    const hostile: OpenApiDocument = { ...doc, info: { ...doc.info, description: '<img onerror=alert(1)>' } };
    expect(renderOpenApiPage(hostile)).toContain('&lt;img onerror=alert(1)&gt;');
  });
});
