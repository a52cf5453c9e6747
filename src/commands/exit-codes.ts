/** Exit codes, as admins' other tools use them: 0 done, 1 failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
