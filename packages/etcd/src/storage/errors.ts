/** A WAL record that is damaged where a torn write cannot explain it: replay refuses to guess. */
export class WalCorruptError extends Error {
  readonly file: string;
  readonly offset: number;
  readonly reason: string;

  constructor(file: string, offset: number, reason: string) {
    super(`wal: corrupt record in ${file} at offset ${offset}: ${reason}`);
    this.name = 'WalCorruptError';
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }
}

/** Where storage reports what it repaired (torn tails, broken snapshots). A pino logger fits. */
export interface StorageLogger {
  warn(obj: object, msg: string): void;
}

export const SILENT_LOGGER: StorageLogger = { warn() {} };
