import { AssertionError } from 'chai';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { openApiDocument } from '../../src/http/openapi/document.js';

const addFormats = addFormatsModule.default;
const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'openapi.json');

const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
const compiled = new Map<string, ValidateFunction>();
const pointer = (...parts: string[]): string => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The documented path template a request path falls under, if any. */
export function documentedPath(path: string): string | undefined {
  return templates.find(({ re }) => re.test(path))?.t;
}

/**
 * Fails unless the answer is one the OpenAPI document describes: its path and method, its
 * status, and a JSON body that validates against that response's schema. An undocumented path
 * may only answer the error shape (a 401 or 404 of the admin API for an unknown path).
 */
export function expectDocumented(method: string, url: string, status: number, body: unknown): void {
  const path = new URL(url, 'http://x').pathname;
  const template = documentedPath(path);
  const where = `${method} ${path} -> ${status}`;
  if (!template) {
    if (status !== 401 && status !== 404) throw new AssertionError(`${where}: the path is not in the OpenAPI document`);
    return validate(['components', 'schemas', 'Error'], body, where);
  }
  const op = doc.paths[template]![method.toLowerCase()];
  if (!op) {
    if (status !== 401 && status !== 404 && status !== 405) throw new AssertionError(`${where}: ${method} is not documented for ${template}`);
    return;
  }
  const response = op.responses[String(status)];
  if (!response) throw new AssertionError(`${where}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`);
  if (!response.content?.['application/json']) return;
  validate(['paths', template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'], body, where);
}

function validate(parts: string[], body: unknown, where: string): void {
  const key = pointer(...parts);
  let v = compiled.get(key);
  if (!v) compiled.set(key, (v = ajv.compile({ $ref: `openapi.json#/${key}` })));
  if (!v(body)) {
    const errors = (v.errors ?? []).slice(0, 8).map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    throw new AssertionError(`${where}: the answer does not match the OpenAPI document:\n${errors.join('\n')}\n${JSON.stringify(body).slice(0, 600)}`);
  }
}
