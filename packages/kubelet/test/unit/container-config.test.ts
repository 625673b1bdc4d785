import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import {
  appContainerConfig,
  ContainerConfigError,
  milliCpuToShares,
  normalizeCapability,
  oomScoreAdj,
  podDns,
  qosClass,
  sandboxConfig,
  sandboxScript,
  verifyRunAsNonRoot,
} from '../../src/pods/container-config.js';

const GiB = 1024 ** 3;
const meta = { name: 'web', namespace: 'shop', uid: 'u-1' };
const withResources = (...resources: Array<corev1.ResourceRequirements | undefined>): corev1.Pod => ({
  metadata: meta,
  spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'busybox:1.36', ...(r ? { resources: r } : {}) })) },
});

t.test('QoS classes as Kubernetes computes them', async (t) => {
  t.equal(qosClass(withResources(undefined)), 'BestEffort');
  t.equal(qosClass(withResources({ requests: { cpu: '0' } })), 'BestEffort', 'zero requests do not count');
  t.equal(qosClass(withResources({ limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed', 'requests default to limits');
  t.equal(qosClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } })), 'Guaranteed');
  t.equal(qosClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })), 'Burstable');
  t.equal(qosClass(withResources({ limits: { cpu: '1' } })), 'Burstable', 'memory limit missing');
  t.equal(qosClass(withResources({ limits: { cpu: '1', memory: '1Gi' } }, undefined)), 'Burstable', 'one container without limits');
  t.equal(qosClass(withResources({ requests: { memory: '10Mi' } })), 'Burstable');
  const recorded = withResources(undefined);
  recorded.status = { qosClass: 'Guaranteed' };
  t.equal(qosClass(recorded), 'Guaranteed', 'status.qosClass wins');
});

t.test('OOM score adjust by QoS', async (t) => {
  const g = withResources({ limits: { cpu: '1', memory: '1Gi' } });
  t.equal(oomScoreAdj(g, g.spec!.containers[0]!, 4 * GiB), -997);
  const be = withResources(undefined);
  t.equal(oomScoreAdj(be, be.spec!.containers[0]!, 4 * GiB), 1000);
  const b = withResources({ requests: { memory: '1Gi' } });
  t.equal(oomScoreAdj(b, b.spec!.containers[0]!, 4 * GiB), 750);
  const tiny = withResources({ requests: { cpu: '10m' } });
  t.equal(oomScoreAdj(tiny, tiny.spec!.containers[0]!, 4 * GiB), 999, 'never as high as BestEffort');
  const huge = withResources({ requests: { memory: '8Gi' } });
  t.equal(oomScoreAdj(huge, huge.spec!.containers[0]!, 4 * GiB), 3);
});

t.test('app container config from a representative pod', async (t) => {
  const container: corev1.Container = {
    name: 'app', image: 'busybox:1.36',
    command: ['sh', '-c', 'echo $(GREETING)'], args: ['$(NAME)'],
    workingDir: '/work', stdin: true, tty: true,
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
    securityContext: { runAsUser: 1000, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['all', 'CAP_CHOWN'] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
  };
  const pod: corev1.Pod = {
    metadata: meta,
    spec: { containers: [container], securityContext: { runAsUser: 5, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] } },
  };
  const mounts = [{ Type: 'bind' as const, Source: '/x', Target: '/y', ReadOnly: true }];
  const config = appContainerConfig(pod, container, {
    sandboxId: 'abc', env: [{ name: 'GREETING', value: 'hi' }, { name: 'NAME', value: 'bob' }], mounts, nodeName: 'n1', attempt: 1, memoryCapacity: 4 * GiB,
  });
  t.equal(config.Image, 'busybox:1.36');
  t.same(config.Entrypoint, ['sh', '-c', 'echo hi']);
  t.same(config.Cmd, ['bob']);
  t.same(config.Env, ['GREETING=hi', 'NAME=bob']);
  t.equal(config.WorkingDir, '/work');
  t.equal(config.User, '1000:3000', 'container runAsUser over the pod, pod runAsGroup');
  t.equal(config.Tty, true);
  t.equal(config.OpenStdin, true);
  t.equal(config.StdinOnce, false);
  t.equal(config.Labels?.['io.kubernetes.container.name'], 'app');
  t.equal(config.Labels?.['io.kubernetes.container.restartCount'], '1');
  const host = config.HostConfig!;
  t.equal(host.NetworkMode, 'container:abc');
  t.equal(host.IpcMode, 'container:abc');
  t.same(host.Mounts, mounts);
  t.equal(host.Memory, 128 * 1024 * 1024);
  t.equal(host.MemorySwap, 128 * 1024 * 1024);
  t.equal(host.CpuQuota, 50_000);
  t.equal(host.CpuPeriod, 100_000);
  t.equal(host.CpuShares, 256);
  t.same(host.CapAdd, ['CAP_NET_BIND_SERVICE']);
  t.same(host.CapDrop, ['ALL', 'CAP_CHOWN']);
  t.equal(host.ReadonlyRootfs, true);
  t.ok(host.SecurityOpt?.includes('no-new-privileges'));
  t.same(host.GroupAdd, ['2000', '4000']);
  t.equal(host.OomScoreAdj, 1000 - Math.floor((1000 * 64 * 1024 * 1024) / (4 * GiB)));
  t.notOk(host.Privileged);
});

t.test('command/args semantics and minimal containers', async (t) => {
  const base: corev1.Container = { name: 'a', image: 'busybox:1.36' };
  const pod: corev1.Pod = { metadata: meta, spec: { containers: [base], shareProcessNamespace: true } };
  const opts = { sandboxId: 's', env: [], mounts: [], nodeName: 'n', attempt: 0, memoryCapacity: GiB };
  const plain = appContainerConfig(pod, base, opts);
  t.equal(plain.Entrypoint, undefined, 'image ENTRYPOINT kept');
  t.equal(plain.Cmd, undefined, 'image CMD kept');
  t.equal(plain.User, undefined);
  t.equal(plain.HostConfig?.CpuShares, 2, 'BestEffort gets the minimum shares');
  t.equal(plain.HostConfig?.Memory, undefined);
  t.equal(plain.HostConfig?.PidMode, 'container:s');
  t.ok(plain.HostConfig?.SecurityOpt?.includes('seccomp=unconfined'));
  const onlyArgs = appContainerConfig(pod, { ...base, args: ['x'] }, opts);
  t.equal(onlyArgs.Entrypoint, undefined);
  t.same(onlyArgs.Cmd, ['x']);
  const onlyCommand = appContainerConfig(pod, { ...base, command: ['true'] }, opts);
  t.same(onlyCommand.Entrypoint, ['true']);
  t.equal(onlyCommand.Cmd, undefined, 'Docker drops the image CMD itself when Entrypoint is set');
  const privileged = appContainerConfig(pod, { ...base, securityContext: { privileged: true, seccompProfile: { type: 'RuntimeDefault' } } }, opts);
  t.equal(privileged.HostConfig?.Privileged, true);
  t.throws(() => appContainerConfig(pod, { ...base, securityContext: { runAsGroup: 5 } }, opts), ContainerConfigError);
  const init: corev1.Pod = { metadata: meta, spec: { containers: [base], initContainers: [{ name: 'i', image: 'x' }] } };
  t.equal(appContainerConfig(init, init.spec!.initContainers![0]!, opts).Labels?.['io.kubernetes.container.init'], 'true');
  t.equal(milliCpuToShares(1n), 2);
  t.equal(milliCpuToShares(1000n), 1024);
  t.equal(normalizeCapability('sys_admin'), 'CAP_SYS_ADMIN');
});

t.test('runAsNonRoot verification', async (t) => {
  const c: corev1.Container = { name: 'app', image: 'x', securityContext: { runAsNonRoot: true } };
  const pod: corev1.Pod = { metadata: meta, spec: { containers: [c] } };
  t.equal(verifyRunAsNonRoot(pod, c, ''), 'container has runAsNonRoot and image will run as root (pod: "web_shop(u-1)", container: app)');
  t.equal(verifyRunAsNonRoot(pod, c, '0:0'), 'container has runAsNonRoot and image will run as root (pod: "web_shop(u-1)", container: app)');
  t.equal(verifyRunAsNonRoot(pod, c, '1000'), undefined);
  t.match(verifyRunAsNonRoot(pod, c, 'nobody'), /image has non-numeric user \(nobody\), cannot verify user is non-root/);
  t.equal(verifyRunAsNonRoot(pod, { ...c, securityContext: { runAsNonRoot: true, runAsUser: 7 } }, ''), undefined);
  t.match(verifyRunAsNonRoot(pod, { ...c, securityContext: { runAsNonRoot: true, runAsUser: 0 } }, '1000'), /runAsUser breaks non-root policy/);
  t.equal(verifyRunAsNonRoot(pod, { name: 'free', image: 'x' }, ''), undefined);
  const podLevel: corev1.Pod = { metadata: meta, spec: { containers: [c], securityContext: { runAsNonRoot: true } } };
  t.ok(verifyRunAsNonRoot(podLevel, { name: 'free', image: 'x' }, ''), 'pod-level setting applies');
});

const sandboxOpts = { nodeName: 'n1', network: 'k8ts-pods', podIP: '10.244.1.7', serviceCidr: '10.96.0.0/12', nodeIP: '10.244.0.2', clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' };

t.test('sandbox config', async (t) => {
  const pod: corev1.Pod = {
    metadata: { ...meta, name: 'x'.repeat(62) + '-abc' },
    spec: {
      containers: [{ name: 'a', image: 'x' }], subdomain: 'sub',
      hostAliases: [{ ip: '1.2.3.4', hostnames: ['foo', 'bar'] }],
      securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
      dnsConfig: { nameservers: ['1.1.1.1', '10.96.0.10'], searches: ['example.com'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    },
  };
  const config = sandboxConfig(pod, sandboxOpts);
  t.equal(config.Image, 'busybox:1.36');
  t.equal(config.Hostname, 'x'.repeat(62), 'truncated to 63 without a trailing dash');
  t.equal(config.Domainname, 'sub.shop.svc.cluster.local');
  t.same(
    config.Entrypoint,
    [
      'sh',
      '-c',
      'ip route add 10.96.0.0/12 via 10.244.0.2 2>/dev/null; ' +
        "printf 'search shop.svc.cluster.local svc.cluster.local cluster.local example.com\\nnameserver 10.96.0.10\\nnameserver 1.1.1.1\\noptions ndots:2 edns0\\n' > /etc/resolv.conf; " +
        'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done',
    ],
    'the route and the pod resolv.conf (cluster DNS first) in the sandbox command',
  );
  t.same(sandboxScript('', '', { servers: ["1.1.1.1'; rm -rf /"], searches: [], options: [] }), 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done', 'no shell text from dnsConfig');
  t.same(config.NetworkingConfig, { EndpointsConfig: { 'k8ts-pods': { IPAMConfig: { IPv4Address: '10.244.1.7' } } } });
  t.equal(config.Labels?.['io.kubernetes.docker.type'], 'podsandbox');
  t.equal(config.Labels?.['io.kubernetes.container.name'], 'POD');
  const host = config.HostConfig!;
  t.equal(host.NetworkMode, 'k8ts-pods');
  t.equal(host.Init, true);
  t.same(host.CapAdd, ['CAP_NET_ADMIN']);
  t.equal(host.IpcMode, 'shareable');
  t.same(host.Sysctls, { 'net.ipv4.tcp_tw_reuse': '1', 'net.ipv4.ip_local_port_range': '1024 65000', 'net.core.somaxconn': '1024' });
  t.same(host.ExtraHosts, ['foo:1.2.3.4', 'bar:1.2.3.4']);
  t.same(host.Dns, ['10.96.0.10', '1.1.1.1']);
  t.same(host.DnsSearch, ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'example.com']);
  t.same(host.DnsOptions, ['ndots:2', 'edns0']);
});

t.test('sandbox with hostNetwork and the DNS policies', async (t) => {
  const hostNet: corev1.Pod = { metadata: meta, spec: { containers: [{ name: 'a', image: 'x' }], hostNetwork: true } };
  const config = sandboxConfig(hostNet, sandboxOpts);
  t.equal(config.HostConfig?.NetworkMode, 'host');
  t.equal(config.NetworkingConfig, undefined);
  t.equal(config.Hostname, undefined);
  t.equal(config.HostConfig?.CapAdd, undefined);
  t.equal(config.HostConfig?.Sysctls, undefined);
  t.notMatch(config.Entrypoint?.[2] ?? '', /ip route/);
  t.equal(config.HostConfig?.Dns, undefined, 'ClusterFirst with hostNetwork falls back to Default');
  const spec = (s: Partial<corev1.PodSpec>): corev1.Pod => ({ metadata: meta, spec: { containers: [], ...s } });
  t.same(podDns(spec({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), sandboxOpts)?.servers, ['10.96.0.10']);
  t.equal(podDns(spec({ dnsPolicy: 'Default' }), sandboxOpts), undefined, "Default leaves Docker's");
  t.same(podDns(spec({ dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'] } }), sandboxOpts), { servers: ['9.9.9.9'], searches: [], options: [] });
  t.same(podDns(spec({}), sandboxOpts)?.options, ['ndots:5']);
  t.equal(podDns(spec({}), { ...sandboxOpts, clusterDNS: [] }), undefined, 'no cluster DNS configured: Default');
  const fqdn = sandboxConfig(spec({ hostname: 'h', subdomain: 's', setHostnameAsFQDN: true }), sandboxOpts);
  t.equal(fqdn.Hostname, 'h.s.shop.svc.cluster.local');
});
