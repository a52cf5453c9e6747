const NAMES: Record<string, { long: string; short: string }> = {
  awss3: { long: 'Amazon S3', short: 'S3' },
  ftp: { long: 'FTP', short: 'FTP' },
  sftp: { long: 'SFTP', short: 'SFTP' },
  ssh: { long: 'SSH', short: 'SSH' },
  scp: { long: 'SCP', short: 'SCP' },
  gdrive: { long: 'Google Drive', short: 'Google Drive' },
  azure: { long: 'Azure Blob Storage', short: 'Azure' },
};

export interface TransferTarget {
  /** "Amazon S3 (account media-archive-prod)", "SFTP (host files.example.com)" */
  label: string;
  /** "S3", for status lines */
  short: string;
}

/** Where a `file-transfer` event's files went, from its `destination {name, host, account}`. */
export function transferTarget(destination: unknown): TransferTarget {
  const d = destination && typeof destination === 'object' ? (destination as Record<string, unknown>) : {};
  const name = typeof d.name === 'string' && d.name ? d.name : 'unknown storage';
  const key = name.toLowerCase();
  const known = Object.hasOwn(NAMES, key) ? NAMES[key] : undefined;
  const long = known?.long ?? name;
  const host = typeof d.host === 'string' ? d.host.trim() : '';
  const account = typeof d.account === 'string' ? d.account.trim() : '';
  // S3 is named by account, the others by host; show whichever EnableX filled in.
  const where = [account && `account ${account}`, host && `host ${host}`].filter(Boolean).join(', ');
  return { label: where ? `${long} (${where})` : long, short: known?.short ?? name };
}
