export { FlagError, formatDuration, parseDuration, parseFlags, usage, type FlagKind, type FlagSpec, type FlagValues } from './flags.js';
export {
  commonFlags,
  leaderElectionFlags,
  leaderElectionFrom,
  logLevelOf,
  runComponent,
  type ComponentOptions,
  type LeaderElectionConfig,
  type RunningComponent,
  type WorkContext,
} from './component.js';
export { exitOnSignals, flagsOrExit, type ShutdownOptions } from './process.js';
