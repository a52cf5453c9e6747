import { expect } from 'chai';
import { loadSettings } from '../../../../src/config/env.js';
import { staticSecrets } from '../../../../src/config/static-secrets.js';

describe('AWS secrets', () => {
  it('are masked like the relay\'s own, though only the SDK uses them', () => {
    const s = loadSettings({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEBY' });
    expect(staticSecrets(s)).to.include.members(['wJalrXUtnFEMI/K7MDENG', 'FwoGZXIvYXdzEBY']);
    expect(staticSecrets(s)).to.not.include('AKIAEXAMPLE');
  });
});
