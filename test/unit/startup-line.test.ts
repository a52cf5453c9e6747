import { expect } from 'chai';
import { loadSettings } from '../../src/config/env.js';
import { startupLine } from '../../src/startup-line.js';

const TOKEN = '0123456789abcdef0123';

/** Issue 12, item 10: the first line says whether the admin API and the dashboard are on. */
describe('startup line', () => {
  it('names the webhook URL, the store, the rules file, and whether the admin API and the dashboard are on', () => {
    const on = startupLine(loadSettings({ RELAY_ADMIN_TOKEN: TOKEN, RELAY_DB: 'sqlite:/tmp/x.db' }), 'http://127.0.0.1:18080', { worker: true, dashboardBuilt: true });
    expect(on.msg).to.equal('enx-relay listening: EnableX webhook URL http://127.0.0.1:18080/webhooks/enablex');
    expect(on.fields).to.include({
      webhook: 'http://127.0.0.1:18080/webhooks/enablex',
      store: 'sqlite:/tmp/x.db',
      rules: 'config/rules.example.yaml',
      admin_api: 'on at http://127.0.0.1:18080/admin/',
      dashboard: 'on at http://127.0.0.1:18080/dashboard/',
    });
  });

  it('says the dashboard is off without the admin API, and not built when dist/dashboard is missing', () => {
    const off = startupLine(loadSettings({}), 'http://127.0.0.1:18080', { worker: true, dashboardBuilt: true });
    expect(off.fields).to.include({ admin_api: 'off (RELAY_ADMIN_TOKEN unset)', dashboard: 'off (RELAY_ADMIN_TOKEN unset)' });
    const unbuilt = startupLine(loadSettings({ RELAY_ADMIN_TOKEN: TOKEN }), 'http://127.0.0.1:18080', { worker: true, dashboardBuilt: false });
    expect(unbuilt.fields['dashboard']).to.equal('not built (npm run build writes dist/dashboard)');
  });
});
