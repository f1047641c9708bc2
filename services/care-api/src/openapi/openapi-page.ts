import type { OpenApiDocument, OpenApiOperation } from './openapi-document';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const anchorOf = (schemaName: string): string => `schema-${schemaName}`;

/** Pretty JSON with every component $ref a link to that component on the page. */
function schemaHtml(schema: unknown): string {
  return escapeHtml(JSON.stringify(schema, null, 2)).replace(
    /&quot;#\/components\/schemas\/([A-Za-z0-9._-]+)&quot;/g,
    (_match, name: string) => `&quot;<a href="#${anchorOf(name)}">#/components/schemas/${name}</a>&quot;`,
  );
}

function operationHtml(method: string, path: string, op: OpenApiOperation): string {
  const parameters = (op.parameters ?? [])
    .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''}): <code>${schemaHtml(p.schema)}</code></li>`)
    .join('');
  const body = op.requestBody
    ? Object.entries(op.requestBody.content).map(([type, media]) => `<p>Body (${escapeHtml(type)}${op.requestBody?.required ? '' : ', optional'}): <code>${schemaHtml(media.schema)}</code></p>`)
    : [];
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const content = Object.entries(r.content ?? {}).map(([type, media]) => ` ${escapeHtml(type)} <code>${schemaHtml(media.schema)}</code>`);
      return `<li><b>${status}</b> ${escapeHtml(r.description)}${content.join('')}</li>`;
    })
    .join('');
  return [
    `<section class="op" id="${escapeHtml(op.operationId)}">`,
    `<h3><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${escapeHtml(op.summary)}</h3>`,
    `<p class="roles">Roles: ${op['x-roles'].map(escapeHtml).join(', ')}</p>`,
    op.description ? `<p>${escapeHtml(op.description)}</p>` : '',
    parameters ? `<p>Parameters:</p><ul>${parameters}</ul>` : '',
    ...body,
    `<p>Responses:</p><ul>${responses}</ul>`,
    '</section>',
  ].join('\n');
}

/**
 * The document as one self-contained HTML page: operations by tag, then every schema. No
 * scripts and nothing fetched from elsewhere (the deployment may have no internet access).
 */
export function renderOpenApiPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const sections = doc.tags.map((tag) => {
    const ops = operations.filter((o) => o.op.tags.includes(tag.name)).map((o) => operationHtml(o.method, o.path, o.op));
    return `<h2 id="tag-${escapeHtml(tag.name)}">${escapeHtml(tag.name)}</h2>\n<p>${escapeHtml(tag.description)}</p>\n${ops.join('\n')}`;
  });
  const schemas = Object.entries(doc.components.schemas).map(
    ([name, schema]) => `<details id="${anchorOf(name)}"><summary><code>${escapeHtml(name)}</code></summary><pre>${schemaHtml(schema)}</pre></details>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
.op { border-top: 1px solid #ccc; padding: .5rem 0; }
.method { display: inline-block; min-width: 4.5rem; font-family: monospace; }
.roles { color: #555; }
pre, code { font-size: .85rem; white-space: pre-wrap; word-break: break-word; }
</style>
</head>
<body>
<h1>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</h1>
<p>OpenAPI ${doc.openapi}; the JSON document is at <a href="/api/docs">/api/docs</a>.</p>
<pre>${escapeHtml(doc.info.description)}</pre>
<nav>${doc.tags.map((t) => `<a href="#tag-${escapeHtml(t.name)}">${escapeHtml(t.name)}</a>`).join(' · ')} · <a href="#schemas">schemas</a></nav>
${sections.join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.join('\n')}
</body>
</html>
`;
}
