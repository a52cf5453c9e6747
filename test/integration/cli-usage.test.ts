import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgSchema } from '../support/pg-schema.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

// The built CLI: help, versions, strict options and exit codes, and databases it must not create.
describe('enx-relay CLI: usage, options, exit codes', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;

  beforeEach(() => {
    tmp = tempDir();
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'warn' };
  });
  afterEach(() => tmp.cleanup());

  describe('usage', () => {
    it('--help prints the usage and exits 0', async () => {
      const r = await runCli(['--help'], env);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('Usage: enx-relay <command> [options]');
      for (const c of ['serve', 'check', 'route', 'send', 'events', 'sessions', 'session', 'replay', 'purge', 'rejected', 'migrate']) {
        expect(r.stdout).to.match(new RegExp(`^  ${c}\\b`, 'm'));
      }
    });

    it('an unknown command exits 2 naming it, with "did you mean" when it is close to one', async () => {
      const r = await runCli(['frobnicate'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr.trim()).to.equal('enx-relay: unknown command "frobnicate"\n(enx-relay --help lists the commands)');
      expect(r.stdout).to.equal('');
      const typo = await runCli(['evnets'], env);
      expect(typo.code).to.equal(2);
      expect(typo.stderr).to.match(/^enx-relay: unknown command "evnets" \(did you mean "events"\?\)/);
    });

    it('a bare enx-relay prints the help and exits 0, starting nothing; --version and -V print the version', async () => {
      const r = await runCli([], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' });
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('Usage: enx-relay <command> [options]');
      expect(r.stdout).to.not.include('listening');
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      for (const flag of ['--version', '-V']) expect((await runCli([flag], env)).stdout.trim()).to.equal(version);
    });

    const COMMANDS = ['serve', 'check', 'route', 'send', 'events', 'event', 'sessions', 'session', 'replay', 'purge', 'rejected', 'migrate'];
    it('COMMAND --help prints that command\'s usage, exits 0 and does nothing else', async () => {
      const db = join(tmp.dir, 'help.db');
      for (const c of COMMANDS) {
        for (const flag of c === 'serve' ? ['--help', '-h'] : ['--help']) {
          const r = await runCli([c, flag], { ...env, RELAY_DB: `sqlite:${db}`, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' }, { timeoutMs: 10_000 });
          expect(r.code, `${c} ${flag}: ${r.stderr}`).to.equal(0);
          expect(r.stdout).to.match(new RegExp(`^Usage: enx-relay ${c}\\b`));
          expect(r.stdout).to.not.include('OK (sha256');
        }
      }
      expect(existsSync(db), 'no command created a database').to.equal(false);
      const help = await runCli(['help', 'replay'], env);
      expect(help.stdout).to.match(/^Usage: enx-relay replay/);
    });

    it('unknown options and extra arguments are usage errors (exit 2) on every command', async () => {
      for (const c of COMMANDS) {
        const r = await runCli([c, '--frobnicate'], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' }, { timeoutMs: 10_000 });
        expect(r.code, `${c}: ${r.stdout} ${r.stderr}`).to.equal(2);
        expect(r.stderr, c).to.match(new RegExp(`^enx-relay ${c}: `));
      }
      const port = await runCli(['serve', '--port', '9000'], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' });
      expect(port.code).to.equal(2);
      expect(port.stderr).to.include('settings come from the environment, e.g. RELAY_PORT=9000 enx-relay serve');
      const two = await runCli(['check', 'config/rules.example.yaml', 'test/fixtures/rules/good.yaml'], env);
      expect(two.code).to.equal(2);
      expect(two.stderr).to.include('unexpected argument "test/fixtures/rules/good.yaml"');
      for (const args of [['events', '--limit', 'abc'], ['rejected', '--limit', '0'], ['send', '--example', 'roomdrop', '--count', 'x']]) {
        const r = await runCli(args, env);
        expect(r.code, args.join(' ')).to.equal(2);
        expect(r.stderr).to.match(/must be a whole number from \d+ to \d+, not "/);
      }
    });

    it('migrate says which database and which migrations it applied, then that none are pending', async () => {
      const first = await runCli(['migrate'], env);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout.trim()).to.match(new RegExp(`^sqlite:${join(tmp.dir, 'relay.db')}: applied \\d+ migrations: 001_init\\.sql, `));
      const again = await runCli(['migrate'], env);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout.trim()).to.equal(`sqlite:${join(tmp.dir, 'relay.db')}: up to date, no migration pending`);
      expect(JSON.parse((await runCli(['migrate', '--json'], env)).stdout)).to.deep.equal({ database: `sqlite:${join(tmp.dir, 'relay.db')}`, applied: [] });
      const events = await runCli(['events'], env);
      expect(events.code, events.stderr).to.equal(0);
      expect(events.stdout.trim()).to.equal('no events');
    });
  });

  describe('mistyped arguments', () => {
    it('events --status with an unknown status exits 2 listing the statuses, rather than "no events"', async () => {
      const r = await runCli(['events', '--status', 'dea'], env);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim()).to.equal('enx-relay events: --status must be one of pending, delivering, delivered, dead\n(enx-relay events --help shows its usage)');
    });

    it('an unknown option exits 2 naming it, with "did you mean", without a stack trace', async () => {
      const r = await runCli(['events', '--stauts', 'dead'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay events: unknown option --stauts \(did you mean "--status"\?\)/);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });

    it('a --since that is neither a duration nor a time exits 2 saying so', async () => {
      const r = await runCli(['events', '--since', 'yesterday'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay events: --since: "yesterday" is neither a duration/);
    });

    it('commands other than serve and migrate never create a database: they name the one they looked for, exit 1', async () => {
      const db = join(tmp.dir, 'elsewhere', 'relay.db');
      for (const args of [['events'], ['event', 'x'], ['sessions'], ['session', 'a~b~c'], ['rejected'], ['replay'], ['purge', '--dead', '--yes']]) {
        const r = await runCli(args, { ...env, RELAY_DB: `sqlite:${db}` });
        expect(r.code, args.join(' ')).to.equal(1);
        expect(r.stderr).to.include(`no database at sqlite:${db} (RELAY_DB=sqlite:${db})`).and.include('enx-relay migrate` creates a new one');
        expect(r.stdout).to.equal('');
      }
      // PostgreSQL: a schema (or database) without the relay's tables is not created either.
      const pg = pgSchema();
      try {
        const url = `${pg.url}?schema=${pg.schema}`;
        const r = await runCli(['events'], { ...env, RELAY_DB: url });
        expect(r.code, r.stdout).to.equal(1);
        expect(r.stderr.trim()).to.equal(`enx-relay events: no enx-relay tables in postgres://127.0.0.1:5432/test?schema=${pg.schema} (RELAY_DB): set RELAY_DB to the relay's database, or run this where the relay runs; \`enx-relay migrate\` creates a new one`);
        expect(await pg.sql('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [pg.schema])).to.deep.equal([]);
        const migrated = await runCli(['migrate'], { ...env, RELAY_DB: url });
        expect(migrated.code, migrated.stderr).to.equal(0);
        expect((await runCli(['events'], { ...env, RELAY_DB: url })).stdout.trim()).to.equal('no events');
      } finally {
        await pg.drop();
      }
      const relative = await runCli(['events'], { ...env, RELAY_DB: 'sqlite:data/nowhere-relay.db' });
      expect(relative.stderr).to.include('(RELAY_DB=sqlite:data/nowhere-relay.db, a path relative to ');
      expect(existsSync(db)).to.equal(false);
      expect(existsSync(join(tmp.dir, 'elsewhere'))).to.equal(false);
    });
  });
});
