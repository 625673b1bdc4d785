// What the Node object reports about the machine: capacity, addresses and nodeInfo. Read once at start (capacity
// does not change under a running kubelet) plus the disk numbers, which the status loop re-reads for DiskPressure.
import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, freemem, hostname, networkInterfaces, release, totalmem } from 'node:os';

export const KUBELET_VERSION = 'v1.32.0-k8ts';

export interface HostFacts {
  hostname: string;
  cpuCores: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  containerRuntimeVersion: string;
}

/** What the container runtime knows better than we do (the Docker host's CPUs and memory when we run in a container). */
export interface RuntimeFacts {
  cpuCores?: number;
  memoryBytes?: number;
  kernelVersion?: string;
  runtimeVersion: string;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

function readTrimmed(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function osImage(): string {
  const text = readTrimmed('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? 'Linux';
}

export function diskBytes(path: string): { capacity: number; available: number } {
  try {
    const s = statfsSync(path);
    return { capacity: s.blocks * s.bsize, available: s.bavail * s.bsize };
  } catch {
    return { capacity: 0, available: 0 };
  }
}

export function readHostFacts(rootDir: string, runtime: RuntimeFacts): HostFacts {
  const machineID = readTrimmed('/etc/machine-id');
  return {
    hostname: hostname(),
    cpuCores: runtime.cpuCores ?? cpus().length,
    memoryBytes: runtime.memoryBytes ?? totalmem(),
    ephemeralStorageBytes: diskBytes(rootDir).capacity,
    kernelVersion: runtime.kernelVersion ?? release(),
    osImage: osImage(),
    operatingSystem: 'linux',
    architecture: GO_ARCH[arch()] ?? arch(),
    machineID,
    systemUUID: readTrimmed('/sys/class/dmi/id/product_uuid') || machineID,
    bootID: readTrimmed('/proc/sys/kernel/random/boot_id'),
    containerRuntimeVersion: runtime.runtimeVersion,
  };
}

/** The first non-internal IPv4 address, as the kubelet picks its node IP when --node-ip is not given. */
export function defaultNodeIP(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Free memory as the kernel counts it, for MemoryPressure. */
export function availableMemoryBytes(): number {
  return freemem();
}
