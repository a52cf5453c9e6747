import { resolve, sep } from 'node:path';
import type { RelayEvent } from '../../domain/event.js';
import { eventView } from '../../domain/event-view.js';
import { renderTemplateSync, type CompiledTemplate } from '../../templates/engine.js';
import { fileName } from '../messages/file-name.js';
import type { MirrorTarget } from './mirror-target.js';

/** One file of an event, where it goes, or why it cannot go anywhere. */
export interface FilePlan {
  index: number;
  url: string;
  fileName: string;
  /** The object key (below the prefix) or the path below the directory; null when `problem`. */
  key: string | null;
  /** `s3://bucket/prefix/key` or `/dir/key`; null when `problem`. */
  location: string | null;
  problem?: string;
}

/** The fields a key template reads beyond the event's: the file's name and its place in the event. */
export const KEY_FIELDS = ['file_name', 'file_index'] as const;

const S3_KEY_MAX_BYTES = 1024;
const SEGMENT_MAX_BYTES = 255;

/**
 * Where each file of an event goes. Rendered synchronously (the planner runs in the webhook's
 * request, and the key is fixed then: it is the delivery's unit key). Event values are hostile:
 * each reaches the template as a single path segment (a `/`, `\` or control character inside it
 * becomes `_`, a lone `.` or `..` becomes `_`), so only the admin's own `/` make folders, and the
 * result can never climb out of the prefix or directory.
 */
export function planFiles(key: CompiledTemplate, target: MirrorTarget, event: RelayEvent): FilePlan[] {
  const view = segmentSafe(eventView(event)) as Record<string, unknown>;
  return event.files.map((f, index) => {
    const name = fileName(f.url);
    const plan = { index, url: f.url, fileName: name };
    let rendered: string;
    try {
      rendered = renderTemplateSync(key, { ...view, file_name: segment(name), file_index: index });
    } catch (err) {
      return { ...plan, key: null, location: null, problem: `the key template failed: ${(err as Error).message.split('\n')[0]}` };
    }
    const k = cleanKey(rendered);
    if ('problem' in k) return { ...plan, key: null, location: null, problem: k.problem };
    const location = locate(target, k.key);
    if ('problem' in location) return { ...plan, key: null, location: null, problem: location.problem };
    return { ...plan, key: k.key, location: location.location };
  });
}

/** The admin's separators stay; empty, `.` and `..` segments and control characters do not. */
export function cleanKey(rendered: string): { key: string } | { problem: string } {
  const segments = rendered
    .replace(/[\u0000-\u001f\u007f]/g, '_')
    .split('/')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === '.' || s === '..' ? '_' : s));
  if (segments.length === 0) return { problem: 'the key rendered empty' };
  const long = segments.find((s) => Buffer.byteLength(s) > SEGMENT_MAX_BYTES);
  if (long) return { problem: `a key segment is longer than ${SEGMENT_MAX_BYTES} bytes: "${long.slice(0, 40)}…"` };
  return { key: segments.join('/') };
}

export function locate(target: MirrorTarget, key: string): { location: string } | { problem: string } {
  if (target.kind === 's3') {
    const full = target.prefix + key;
    if (Buffer.byteLength(full) > S3_KEY_MAX_BYTES) return { problem: `the object key is longer than ${S3_KEY_MAX_BYTES} bytes` };
    return { location: `s3://${target.bucket}/${full}` };
  }
  const path = resolve(target.dir, key);
  // cleanKey already keeps a key inside; this is the last word before a file is written.
  if (!path.startsWith(target.dir === '/' ? '/' : target.dir + sep)) return { problem: 'the key leads outside the directory' };
  return { location: path };
}

/** A unit key names one file of one event at one place; it is the delivery's orderKey. */
export function unitKey(destination: string, plan: FilePlan): string {
  return `mirror:${destination}:${plan.index}:${plan.location ?? ''}`;
}

export function parseUnitKey(orderKey: string | null): { index: number; location: string } | null {
  const m = /^mirror:[^:]*:(\d+):([\s\S]*)$/.exec(orderKey ?? '');
  return m ? { index: Number(m[1]), location: m[2]! } : null;
}

function segment(s: string): string {
  const out = s.replace(/[/\\\u0000-\u001f\u007f]/g, '_');
  return out === '.' || out === '..' ? '_' : out;
}

function segmentSafe(v: unknown): unknown {
  if (typeof v === 'string') return segment(v);
  if (Array.isArray(v)) return v.map(segmentSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, segmentSafe(x)]));
  return v;
}
