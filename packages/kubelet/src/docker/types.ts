// Typed subsets of the Docker Engine API's JSON (API 1.40/1.41). Only the fields the kubelet reads or sends are
// spelled out; open-ended parts are `unknown` so nothing pretends to be checked that is not.

export interface DockerVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  GitCommit?: string;
  GoVersion?: string;
  BuildTime?: string;
}

export interface DockerInfo {
  ID?: string;
  Name: string;
  NCPU: number;
  MemTotal: number;
  KernelVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  ServerVersion: string;
  DockerRootDir: string;
  Driver: string;
  /** "1" or "2"; absent on old engines. */
  CgroupVersion?: string;
  CgroupDriver?: string;
  Containers?: number;
  ContainersRunning?: number;
  Images?: number;
}

export interface ImageConfig {
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>> | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests?: string[] | null;
  Created?: string;
  Size: number;
  Os?: string;
  Architecture?: string;
  Config: ImageConfig | null;
}

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Labels: Record<string, string> | null;
}

export interface Mount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave' };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface HostConfig {
  NetworkMode?: string;
  Binds?: string[];
  Mounts?: Mount[];
  Tmpfs?: Record<string, string>;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  PidsLimit?: number;
  Privileged?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[];
  Sysctls?: Record<string, string>;
  ExtraHosts?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  Init?: boolean;
  OomScoreAdj?: number;
  PidMode?: string;
  IpcMode?: string;
  UTSMode?: string;
  ShmSize?: number;
  GroupAdd?: string[];
  RestartPolicy?: { Name: string; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  LogConfig?: { Type: string; Config?: Record<string, string> };
}

export interface EndpointSettingsConfig {
  IPAMConfig?: { IPv4Address?: string };
  Aliases?: string[];
}

export interface ContainerCreateConfig {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string>;
  Hostname?: string;
  Domainname?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  StopSignal?: string;
  StopTimeout?: number;
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointSettingsConfig> };
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  /** RFC 3339 with nanoseconds; `0001-01-01T00:00:00Z` when never started/finished. */
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: string; FailingStreak: number; Log: unknown[] | null };
}

export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string } | null;
  Aliases?: string[] | null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  MacAddress: string;
  GlobalIPv6Address?: string;
}

export interface ContainerInspect {
  Id: string;
  /** With Docker's leading slash: `/k8s_POD_...`. */
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  RestartCount: number;
  LogPath: string;
  HostnamePath?: string;
  HostsPath?: string;
  ResolvConfPath?: string;
  Config: {
    Hostname: string;
    Domainname: string;
    User: string;
    Labels: Record<string, string> | null;
    Image: string;
    Env: string[] | null;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    WorkingDir: string;
    Tty: boolean;
    OpenStdin: boolean;
    StdinOnce: boolean;
    AttachStdin: boolean;
    AttachStdout: boolean;
    AttachStderr: boolean;
    StopSignal?: string;
    StopTimeout?: number;
    ExposedPorts?: Record<string, Record<string, never>> | null;
  };
  HostConfig: HostConfig;
  Mounts: Array<{
    Type: string;
    Name?: string;
    Source: string;
    Destination: string;
    Driver?: string;
    Mode: string;
    RW: boolean;
    Propagation: string;
  }>;
  NetworkSettings: {
    SandboxKey?: string;
    IPAddress: string;
    Networks: Record<string, EndpointSettings> | null;
  };
}

export interface ContainerSummary {
  Id: string;
  /** With leading slashes, e.g. `["/k8s_app_..."]`. */
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: ContainerStatus;
  Status: string;
  Labels: Record<string, string> | null;
  HostConfig?: { NetworkMode: string };
  NetworkSettings?: { Networks: Record<string, EndpointSettings> | null };
  Mounts?: unknown[];
}

export interface LogChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

export interface ContainerLogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Unix seconds, fractional allowed (sent with nanosecond precision). */
  since?: number;
  /** Unix seconds, fractional allowed. */
  until?: number;
  timestamps?: boolean;
  tail?: number | 'all';
}

export interface CpuStats {
  cpu_usage: {
    total_usage: number;
    percpu_usage?: number[] | null;
    usage_in_kernelmode: number;
    usage_in_usermode: number;
  };
  /** Host-wide CPU time in nanoseconds; absent in precpu_stats of the first sample. */
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data?: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface ContainerStatsSample {
  /** RFC 3339 time of this sample. */
  read: string;
  preread: string;
  id?: string;
  name?: string;
  pids_stats?: { current?: number; limit?: number };
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: {
    usage?: number;
    max_usage?: number;
    limit?: number;
    failcnt?: number;
    /** cgroup v1/v2 counters (cache, rss, total_inactive_file, inactive_file, pgfault, ...). */
    stats?: Record<string, number>;
  };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number; rx_packets: number; tx_packets: number; rx_errors: number; tx_errors: number; rx_dropped: number; tx_dropped: number }>;
  blkio_stats?: unknown;
}

export interface ExecCreateOptions {
  Cmd: string[];
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Privileged?: boolean;
}

export interface ExecInspect {
  ExitCode: number | null;
  Running: boolean;
  Pid: number;
  ID?: string;
  ContainerID?: string;
  OpenStdin?: boolean;
  OpenStdout?: boolean;
  OpenStderr?: boolean;
  ProcessConfig?: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string };
}

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface NetworkCreateConfig {
  Name: string;
  Driver?: string;
  IPAM?: { Driver?: string; Config: Array<{ Subnet: string; Gateway?: string; IPRange?: string }> };
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
  Internal?: boolean;
  Attachable?: boolean;
}

export interface NetworkInspect {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  Internal: boolean;
  Attachable: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> | null };
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }> | null;
  Options: Record<string, string> | null;
  Labels: Record<string, string> | null;
}

export interface VolumeCreateConfig {
  Name: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

export interface VolumeSummary {
  Name: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Driver?: string;
  Options?: Record<string, string> | null;
  Scope?: string;
  CreatedAt?: string;
}

export interface DockerEvent {
  /** `container`, `image`, `network`, `volume`, `daemon`, ... */
  Type: string;
  /** `create`, `start`, `die`, `oom`, `destroy`, `kill`, `exec_start: sh`, ... */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope?: string;
  /** Unix seconds. */
  time: number;
  /** Unix nanoseconds (a double: it loses the last digits, fine for ordering). */
  timeNano: number;
}

export interface EventsOptions {
  /** Docker's filters, e.g. `{ type: ['container'], event: ['start', 'die'], label: ['k=v'] }`. */
  filters?: Record<string, string[]>;
  /** Unix seconds (fractional ok): replay events since then before streaming new ones. */
  since?: number;
}

/** Label selector: `{ k: 'v' }` matches k=v, `{ k: true }` matches any container having label k. */
export type LabelFilter = Record<string, string | true>;
