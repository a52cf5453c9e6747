/**
 * The request bodies of the loads, ~250 bytes each, made distinct by one number `n` (the relay's
 * dedupe would drop identical bodies; Alertmanager would merge identical alerts). `%d` marks where
 * n goes: the same templates feed the wrk Lua script and the harness's own requests.
 */
export const RECORDING_TEMPLATE =
  '{"type":"recording","trans_date":1732700871000,"app_id":"64f0c1a2e7b9d81f2c3a4b5c","room_id":"6750a8f1c2d3e4f5a6b7c8d9","conf_num":%d,' +
  '"recording":"https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/%d/rec-1.mkv"}';

/** One alert per POST (Alertmanager's API takes a list), labelled apart by `id`. */
export const ALERT_TEMPLATE =
  '[{"labels":{"alertname":"RecordingReady","id":"%d","severity":"info","instance":"127.0.0.1:9100","room":"6750a8f1c2d3e4f5a6b7c8d9"},' +
  '"annotations":{"summary":"recording ready for conference %d"},"generatorURL":"http://127.0.0.1/bench"}]';

export const fill = (template: string, n: number): string => template.replaceAll('%d', String(n));
