import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchTempDir } from './temp.js';
import { startChild, type Child } from './children.js';
import { freePort, waitFor200 } from './ports.js';

export const ALERTMANAGER_BIN = 'prometheus-alertmanager';

export interface BenchAlertmanager {
  child: Child;
  /** POST alerts here (API v2). */
  alertsUrl: string;
  stop(): Promise<void>;
}

/**
 * Alertmanager alone (no cluster), on 127.0.0.1, sending every alert once to `webhookUrl`:
 * grouped by every label (`...`), so each alert is its own group, flushed with no group_wait.
 */
export async function startAlertmanager(webhookUrl: string): Promise<BenchAlertmanager> {
  const tmp = benchTempDir('enx-bench-am-');
  const dir = tmp.dir;
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    [
      'route:',
      '  receiver: hook',
      "  group_by: ['...']",
      '  group_wait: 0s',
      '  group_interval: 5m',
      '  repeat_interval: 24h',
      'receivers:',
      '  - name: hook',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(webhookUrl)}`,
      '        send_resolved: false',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = startChild(ALERTMANAGER_BIN, [
    `--config.file=${config}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const base = `http://127.0.0.1:${port}`;
  const ready = await Promise.race([waitFor200(`${base}/-/ready`, 30_000, 10), child.exited.then(() => false)]);
  const cleanup = async (): Promise<void> => {
    await child.stop(3000);
    tmp.remove();
  };
  if (!ready) {
    await cleanup();
    throw new Error(`Alertmanager did not become ready:\n${child.output.slice(-20).join('\n')}`);
  }
  return { child, alertsUrl: `${base}/api/v2/alerts`, stop: cleanup };
}
