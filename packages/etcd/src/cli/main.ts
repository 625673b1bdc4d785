#!/usr/bin/env node
// k8ts-etcd: run a member (etcd's flags), or save/restore/inspect a snapshot.
import { FlagError, parseFlags, usage } from './flags.js';
import { runSnapshotCommand } from './snapshot-command.js';
import { startMember } from '../server/member.js';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === 'version') {
    process.stdout.write('k8ts-etcd Version: 0.1.0 (etcd API 3.4)\n');
    return 0;
  }
  if (argv[0] === 'snapshot') return runSnapshotCommand(argv.slice(1));

  const flags = parseFlags(argv);
  const member = await startMember(flags);
  let exiting = false;
  const shutdown = (signal: string, code: number): void => {
    if (exiting) return;
    exiting = true;
    member.logger.info({ signal }, 'received signal, shutting down');
    member.stop().then(
      () => process.exit(code),
      (err: unknown) => {
        member.logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  member.server.on('removed', () => shutdown('removed from cluster', 0));
  member.server.on('fatal', () => shutdown('fatal error', 1));
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof FlagError) {
      process.stderr.write(`k8ts-etcd: ${err.message}\n\n${usage()}\n`);
      process.exit(2);
    }
    process.stderr.write(`k8ts-etcd: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
