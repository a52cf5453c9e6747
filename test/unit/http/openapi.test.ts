import Router from '@koa/router';
import { expect } from 'chai';
import type { AppDeps } from '../../../src/app.js';
import { ADMIN_ROUTES } from '../../../src/http/admin/admin-api.js';
import { openApiDocument } from '../../../src/http/openapi/document.js';
import { expectDocumented } from '../../support/openapi-check.js';

const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, unknown>> };

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents exactly the routes the admin API has', () => {
    expect(doc.openapi).to.equal('3.1.0');
    const router = new Router({ prefix: '/admin' });
    for (const group of ADMIN_ROUTES) group(router, { deps: { settings: { maxBodyBytes: 1024 } } as AppDeps, secrets: () => [] });
    const routed = router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`));
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/admin/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...routed].sort()).to.deep.equal([...documented].sort());
  });

  it('compiles every response schema (each $ref resolves)', () => {
    let n = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>)) {
        for (const [status, r] of Object.entries(op.responses)) {
          if (!r.content?.['application/json']) continue;
          n++;
          // A body no schema of ours allows: each check must run and refuse it, not throw on a bad $ref.
          expect(() => expectDocumented(method.toUpperCase(), path.replace(/\{\w+\}/g, 'x'), Number(status), [])).to.throw(/does not match/);
        }
      }
    }
    expect(n).to.be.at.least(40);
  });

  it('refuses answers it does not describe: an extra field, a wrong type, an undocumented status or path', () => {
    const page = { events: [], nextCursor: null };
    expect(() => expectDocumented('GET', '/admin/events?limit=5', 200, page)).to.not.throw();
    expect(() => expectDocumented('GET', '/admin/events', 200, { ...page, extra: 1 })).to.throw(/additional properties/);
    expect(() => expectDocumented('GET', '/admin/events', 200, { events: 'none', nextCursor: null })).to.throw(/must be array/);
    expect(() => expectDocumented('GET', '/admin/events', 418, page)).to.throw(/not documented/);
    expect(() => expectDocumented('GET', '/admin/nothing-here', 200, page)).to.throw(/not in the OpenAPI document/);
    const error = { error: { code: 'not_found', message: 'no route', details: [] } };
    expect(() => expectDocumented('GET', '/admin/nothing-here', 404, error)).to.not.throw();
    expect(() => expectDocumented('GET', '/admin/events/abc', 404, { error: { ...error.error, code: 'gone' } })).to.throw(/must be equal to one of the allowed values/);
  });

  it('holds no value of a setting: it is built from code alone', () => {
    const text = JSON.stringify(openApiDocument());
    expect(text).to.not.match(/RELAY_ADMIN_TOKEN=|xox[bp]-|whsec_/);
  });
});
