// core/v1 Pod and every type a pod is made of (containers, volumes, probes, scheduling, status), as OpenAPI component
// schemas named like Kubernetes' own. Field names, types, enums, merge keys and list types follow the v1.32 Go types.
import { s, type ArrayOptions, type ObjectOptions, type Schema } from '../../schema/schema.js';
import { LABEL_SELECTOR, OBJECT_META } from '../meta-v1/schemas.js';

export const CORE_V1 = 'io.k8s.api.core.v1';
/** Full component name of a core/v1 type. */
export const coreV1 = (type: string): string => `${CORE_V1}.${type}`;

export const POD = coreV1('Pod');
export const POD_SPEC = coreV1('PodSpec');
export const POD_STATUS = coreV1('PodStatus');
export const POD_TEMPLATE = coreV1('PodTemplate');
export const POD_TEMPLATE_SPEC = coreV1('PodTemplateSpec');
export const BINDING = coreV1('Binding');
/** Provided by the other core/v1 module (PersistentVolumeClaim); referenced by name only. */
export const PERSISTENT_VOLUME_CLAIM_TEMPLATE = coreV1('PersistentVolumeClaimTemplate');

const ref = (type: string, description?: string, o?: ObjectOptions): Schema => s.ref(coreV1(type), description, o);
const atomic = (items: Schema, description: string, o?: ArrayOptions): Schema => s.array(items, description, { ...o, listType: 'atomic' });
/** A list merged by one key in strategic merge patch and served as a map-list. */
const keyed = (items: Schema, key: string, description: string, strategy = 'merge'): Schema =>
  s.array(items, description, { mergeKey: key, strategy, listType: 'map', listMapKeys: [key] });
const resourceList = (description: string): Schema => s.map(s.quantity(), description);
const gvk = (kind: string): Schema['x-kubernetes-group-version-kind'] => [{ group: '', version: 'v1', kind }];

/** Fields shared by Container and EphemeralContainer (Go's EphemeralContainerCommon has the same shape). */
function containerProperties(kind: 'container' | 'ephemeral container'): Record<string, Schema> {
  return {
    name: s.string(`Name of the ${kind}, a DNS-1123 label unique within the pod.`, { validate: ['dns1123-label'] }),
    image: s.string('Container image reference, e.g. nginx:1.27 or registry.example/app@sha256:...'),
    command: atomic(s.string(), 'Entrypoint to run instead of the image ENTRYPOINT; $(VAR) references are expanded from env.'),
    args: atomic(s.string(), 'Arguments to the entrypoint instead of the image CMD; $(VAR) references are expanded from env.'),
    workingDir: s.string("Working directory inside the container; the image's default when empty."),
    ports: s.array(ref('ContainerPort'), 'Ports the container listens on (informational, except hostPort).', {
      mergeKey: 'containerPort',
      strategy: 'merge',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    }),
    envFrom: atomic(ref('EnvFromSource'), 'ConfigMaps and Secrets whose keys all become environment variables; env entries win on conflict.'),
    env: keyed(ref('EnvVar'), 'name', 'Environment variables to set in the container.'),
    resources: ref('ResourceRequirements', 'Compute resources requested by and limited for the container.', { default: {} }),
    resizePolicy: atomic(ref('ContainerResizePolicy'), 'How each resource may be resized in place (with or without a restart).'),
    restartPolicy: s.string('Only for init containers: Always makes it a sidecar that keeps running beside the main containers.'),
    volumeMounts: keyed(ref('VolumeMount'), 'mountPath', "Pod volumes mounted into the container's filesystem."),
    volumeDevices: keyed(ref('VolumeDevice'), 'devicePath', 'Block-mode volumes exposed to the container as raw devices.'),
    livenessProbe: ref('Probe', 'Periodic check; the container is restarted when it fails.'),
    readinessProbe: ref('Probe', 'Periodic check; the container only receives Service traffic while it succeeds.'),
    startupProbe: ref('Probe', 'Check that must succeed once before the other probes start.'),
    lifecycle: ref('Lifecycle', 'Actions run right after the container starts and just before it stops.'),
    terminationMessagePath: s.string("File whose content becomes the container's termination message.", { default: '/dev/termination-log' }),
    terminationMessagePolicy: s.enumOf(['File', 'FallbackToLogsOnError'], 'Where the termination message comes from: the file only, or the log tail when the file is empty and the container failed.', {
      default: 'File',
    }),
    imagePullPolicy: s.enumOf(['Always', 'IfNotPresent', 'Never'], 'When the kubelet pulls the image; defaults to Always for :latest or untagged images, IfNotPresent otherwise.'),
    securityContext: ref('SecurityContext', 'Security options for this container, overriding the pod-level ones.'),
    stdin: s.boolean('Keep a stdin buffer open for the container (kubectl attach -i).'),
    stdinOnce: s.boolean('Close stdin after the first attached client disconnects.'),
    tty: s.boolean('Allocate a TTY for the container (needs stdin).'),
  };
}

const handlerProperties = (): Record<string, Schema> => ({
  exec: ref('ExecAction', 'Run a command inside the container.'),
  httpGet: ref('HTTPGetAction', 'Send an HTTP GET request.'),
  tcpSocket: ref('TCPSocketAction', 'Open a TCP connection.'),
});

const keyToPathList = (): Schema => atomic(ref('KeyToPath'), 'Keys to project and the relative paths to write them to; all keys when empty.');
const defaultMode = (): Schema =>
  s.int32('Permission bits (0000-0777, JSON takes decimal) of the created files unless an item sets its own mode.', { default: 420 });

export const podSchemas: Record<string, Schema> = {
  // ---- the kinds ----
  [POD]: {
    ...s.object(
      {
        apiVersion: s.string('API version of this object: v1.'),
        kind: s.string('Kind of this object: Pod.'),
        metadata: s.ref(OBJECT_META, "The pod's name, namespace, labels and annotations."),
        spec: s.ref(POD_SPEC, 'What the pod should run.'),
        status: s.ref(POD_STATUS, 'What the pod is doing, as reported by the kubelet and scheduler.'),
      },
      'A group of containers scheduled together on one node, sharing network and volumes.',
    ),
    'x-kubernetes-group-version-kind': gvk('Pod'),
  },
  [POD_TEMPLATE]: {
    ...s.object(
      {
        apiVersion: s.string('API version of this object: v1.'),
        kind: s.string('Kind of this object: PodTemplate.'),
        metadata: s.ref(OBJECT_META, "The template's name, namespace, labels and annotations."),
        template: s.ref(POD_TEMPLATE_SPEC, 'The pod template itself.'),
      },
      'A stored pod template, used as a reusable description of pods.',
    ),
    'x-kubernetes-group-version-kind': gvk('PodTemplate'),
  },
  [BINDING]: {
    ...s.object(
      {
        apiVersion: s.string('API version of this object: v1.'),
        kind: s.string('Kind of this object: Binding.'),
        metadata: s.ref(OBJECT_META, 'Name and namespace of the pod being bound.'),
        target: ref('ObjectReference', 'The node the pod is bound to.'),
      },
      'Assigns a pod to a node; posted by the scheduler to pods/binding.',
    ),
    'x-kubernetes-group-version-kind': gvk('Binding'),
  },
  [POD_TEMPLATE_SPEC]: s.object(
    {
      metadata: s.ref(OBJECT_META, 'Labels and annotations given to pods created from the template.'),
      spec: s.ref(POD_SPEC, 'Spec of pods created from the template.'),
    },
    'Metadata and spec from which pods are created.',
  ),

  // ---- PodSpec ----
  [POD_SPEC]: s.object(
    {
      volumes: keyed(ref('Volume'), 'name', 'Volumes that containers of the pod can mount.', 'merge,retainKeys'),
      initContainers: keyed(ref('Container'), 'name', 'Containers run one after another to completion before the app containers start.'),
      containers: keyed(ref('Container'), 'name', 'The app containers of the pod; at least one.'),
      ephemeralContainers: keyed(ref('EphemeralContainer'), 'name', 'Debugging containers added to a running pod through the ephemeralcontainers subresource.'),
      restartPolicy: s.enumOf(['Always', 'OnFailure', 'Never'], 'When the kubelet restarts containers that exit.', { default: 'Always' }),
      terminationGracePeriodSeconds: s.int64('Seconds between the stop signal and the kill on deletion; 0 kills at once.', { default: 30 }),
      activeDeadlineSeconds: s.int64('Seconds the pod may be active before the system fails it.'),
      dnsPolicy: s.enumOf(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], 'How DNS resolution is configured for the pod.', {
        default: 'ClusterFirst',
      }),
      nodeSelector: { ...s.map(s.string(), 'Labels a node must have for the pod to be scheduled on it.'), 'x-kubernetes-map-type': 'atomic' },
      serviceAccountName: s.string('ServiceAccount the pod runs as.'),
      serviceAccount: s.string('Deprecated alias of serviceAccountName, kept in sync with it.'),
      automountServiceAccountToken: s.boolean('Whether a service account token is mounted automatically.'),
      nodeName: s.string('Node the pod is bound to; set by the scheduler, or by the user to bypass it.'),
      hostNetwork: s.boolean("Use the node's network namespace; container ports then become host ports."),
      hostPID: s.boolean("Use the node's PID namespace."),
      hostIPC: s.boolean("Use the node's IPC namespace."),
      shareProcessNamespace: s.boolean('All containers of the pod share one PID namespace.'),
      securityContext: ref('PodSecurityContext', 'Pod-wide security settings.', { default: {} }),
      imagePullSecrets: keyed(ref('LocalObjectReference'), 'name', 'Secrets in the namespace used to pull the images.'),
      hostname: s.string("The pod's hostname; the pod name when empty."),
      subdomain: s.string('Subdomain, giving the pod the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>.'),
      affinity: ref('Affinity', 'Node affinity and pod (anti-)affinity scheduling constraints.'),
      schedulerName: s.string('Scheduler that places the pod.', { default: 'default-scheduler' }),
      tolerations: atomic(ref('Toleration'), 'Taints the pod tolerates.'),
      hostAliases: keyed(ref('HostAlias'), 'ip', "Extra entries for the pod's /etc/hosts."),
      priorityClassName: s.string('PriorityClass giving the pod its priority.'),
      priority: s.int32('Priority value, filled in from priorityClassName by admission.'),
      dnsConfig: ref('PodDNSConfig', 'DNS parameters merged into the ones dnsPolicy produces.'),
      readinessGates: atomic(ref('PodReadinessGate'), 'Extra pod conditions that must be True for the pod to be Ready.'),
      runtimeClassName: s.string('RuntimeClass used to run the pod.'),
      enableServiceLinks: s.boolean('Inject Docker-link-style environment variables for the Services in the namespace.'),
      preemptionPolicy: s.enumOf(['PreemptLowerPriority', 'Never'], 'Whether the pod may preempt lower-priority pods.'),
      overhead: resourceList('Resources the runtime itself uses for the pod, set from the RuntimeClass by admission.'),
      topologySpreadConstraints: s.array(ref('TopologySpreadConstraint'), 'How pods are spread across topology domains.', {
        mergeKey: 'topologyKey',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      }),
      setHostnameAsFQDN: s.boolean("Use the pod's FQDN as its hostname."),
      os: ref('PodOS', 'Operating system the pod is meant for.'),
      hostUsers: s.boolean("Use the node's user namespace; false gives the pod its own."),
      schedulingGates: keyed(ref('PodSchedulingGate'), 'name', 'Gates that keep the pod from being scheduled until they are all removed.'),
      resourceClaims: keyed(ref('PodResourceClaim'), 'name', 'Dynamic resource claims the containers may use.', 'merge,retainKeys'),
      resources: ref('ResourceRequirements', 'Pod-level resources shared by all containers (PodLevelResources, alpha).'),
    },
    'Desired state of a pod: its containers, volumes and scheduling and runtime settings.',
    { required: ['containers'] },
  ),

  // ---- containers ----
  [coreV1('Container')]: s.object(containerProperties('container'), 'One container of a pod.', { required: ['name', 'image'] }),
  [coreV1('EphemeralContainer')]: s.object(
    {
      ...containerProperties('ephemeral container'),
      targetContainerName: s.string('Container whose namespaces (e.g. PID) the ephemeral container joins.'),
    },
    'A temporary container added to a running pod for debugging; ports, probes, lifecycle and resources are not allowed.',
    { required: ['name', 'image'] },
  ),
  [coreV1('ContainerPort')]: s.object(
    {
      name: s.string('IANA service name of the port, referable by Services (at most 15 characters).'),
      hostPort: s.int32('Port on the node to expose the container port at; usually unset.'),
      containerPort: s.int32('Port number on the pod IP (1-65535).'),
      protocol: s.enumOf(['SCTP', 'TCP', 'UDP'], 'Protocol of the port.', { default: 'TCP' }),
      hostIP: s.string('Node IP to bind the host port to.'),
    },
    'A network port of a container.',
  ),
  [coreV1('EnvVar')]: s.object(
    {
      name: s.string('Variable name (printable ASCII, no =).', { validate: ['env-var-name'] }),
      value: s.string('Value, with $(VAR) references to earlier variables expanded.'),
      valueFrom: ref('EnvVarSource', 'Take the value from a pod field, a resource, a ConfigMap or a Secret; not with value.'),
    },
    'An environment variable of a container.',
    { required: ['name'] },
  ),
  [coreV1('EnvVarSource')]: s.object(
    {
      fieldRef: ref('ObjectFieldSelector', 'A field of the pod (downward API).'),
      resourceFieldRef: ref('ResourceFieldSelector', 'A resource limit or request of a container.'),
      configMapKeyRef: ref('ConfigMapKeySelector', 'A key of a ConfigMap in the namespace.'),
      secretKeyRef: ref('SecretKeySelector', 'A key of a Secret in the namespace.'),
    },
    'Where an environment variable takes its value from; exactly one source.',
  ),
  [coreV1('ObjectFieldSelector')]: s.object(
    {
      apiVersion: s.string('Version of the schema fieldPath is written against.', { default: 'v1' }),
      fieldPath: s.string('Path of the field, e.g. metadata.name or metadata.labels[\'app\'].'),
    },
    'Selects a field of the pod.',
    { mapType: 'atomic' },
  ),
  [coreV1('ResourceFieldSelector')]: s.object(
    {
      containerName: s.string('Container whose resources are read; required in volumes, the current container in env.'),
      resource: s.string('Resource to read, e.g. limits.cpu or requests.memory.'),
      divisor: s.quantity('Unit the value is divided by; 1 when unset.'),
    },
    'Selects a resource limit or request of a container.',
    { mapType: 'atomic' },
  ),
  [coreV1('ConfigMapKeySelector')]: s.object(
    {
      name: s.string('Name of the ConfigMap.'),
      key: s.string('Key to read.'),
      optional: s.boolean('Start the container even when the ConfigMap or key is missing.'),
    },
    'Selects a key of a ConfigMap.',
    { mapType: 'atomic' },
  ),
  [coreV1('SecretKeySelector')]: s.object(
    {
      name: s.string('Name of the Secret.'),
      key: s.string('Key to read.'),
      optional: s.boolean('Start the container even when the Secret or key is missing.'),
    },
    'Selects a key of a Secret.',
    { mapType: 'atomic' },
  ),
  [coreV1('EnvFromSource')]: s.object(
    {
      prefix: s.string('Prefix added to every variable name taken from the source.'),
      configMapRef: ref('ConfigMapEnvSource', 'ConfigMap to take variables from.'),
      secretRef: ref('SecretEnvSource', 'Secret to take variables from.'),
    },
    'A ConfigMap or Secret whose keys become environment variables.',
  ),
  [coreV1('ConfigMapEnvSource')]: s.object(
    {
      name: s.string('Name of the ConfigMap.'),
      optional: s.boolean('Start the container even when the ConfigMap is missing.'),
    },
    'A ConfigMap used as a set of environment variables.',
  ),
  [coreV1('SecretEnvSource')]: s.object(
    {
      name: s.string('Name of the Secret.'),
      optional: s.boolean('Start the container even when the Secret is missing.'),
    },
    'A Secret used as a set of environment variables.',
  ),
  [coreV1('VolumeMount')]: s.object(
    {
      name: s.string('Name of the pod volume to mount.'),
      readOnly: s.boolean('Mount read-only.'),
      recursiveReadOnly: s.string('Disabled, IfPossible or Enabled: whether submounts are read-only too (needs readOnly).'),
      mountPath: s.string('Absolute path in the container to mount at; may not contain ":".'),
      subPath: s.string('Path inside the volume to mount instead of its root.'),
      mountPropagation: s.string('None, HostToContainer or Bidirectional: how mounts propagate between host and container.'),
      subPathExpr: s.string('Like subPath, with $(VAR) references expanded from the environment; not with subPath.'),
    },
    'A pod volume mounted into a container.',
    { required: ['name', 'mountPath'] },
  ),
  [coreV1('VolumeDevice')]: s.object(
    {
      name: s.string('Name of a persistentVolumeClaim or ephemeral volume of the pod.'),
      devicePath: s.string('Path in the container the device appears at.'),
    },
    'A block volume exposed to a container as a raw device.',
    { required: ['name', 'devicePath'] },
  ),
  [coreV1('ResourceRequirements')]: s.object(
    {
      limits: resourceList('Most of each resource the container may use.'),
      requests: resourceList('Resources the container is scheduled against; default to the limits when only those are set.'),
      claims: s.array(ref('ResourceClaim'), 'Entries of spec.resourceClaims this container uses.', { listType: 'map', listMapKeys: ['name'] }),
    },
    'Compute resource requests and limits.',
  ),
  [coreV1('ResourceClaim')]: s.object(
    {
      name: s.string('Name of an entry in the pod spec.resourceClaims.'),
      request: s.string('One request of the claim; the whole claim when empty.'),
    },
    'A reference to one of the pod resource claims.',
  ),
  [coreV1('ContainerResizePolicy')]: s.object(
    {
      resourceName: s.string('Resource the policy is for: cpu or memory.'),
      restartPolicy: s.string('NotRequired or RestartContainer: whether resizing the resource restarts the container.'),
    },
    'How a resource of a container is resized in place.',
  ),

  // ---- probes and lifecycle ----
  [coreV1('Probe')]: s.object(
    {
      ...handlerProperties(),
      grpc: ref('GRPCAction', 'Call the gRPC health checking service.'),
      initialDelaySeconds: s.int32('Seconds after the container starts before the first probe.'),
      timeoutSeconds: s.int32('Seconds before a probe attempt times out.', { default: 1 }),
      periodSeconds: s.int32('Seconds between probe attempts.', { default: 10 }),
      successThreshold: s.int32('Consecutive successes needed after a failure; must be 1 for liveness and startup probes.', { default: 1 }),
      failureThreshold: s.int32('Consecutive failures after which the probe is considered failed.', { default: 3 }),
      terminationGracePeriodSeconds: s.int64("Grace period used when a failing probe kills the container, overriding the pod's."),
    },
    'A periodic health check of a container; exactly one handler.',
  ),
  [coreV1('ExecAction')]: s.object(
    { command: atomic(s.string(), 'Command line run directly (no shell); exit status 0 means healthy.') },
    'Runs a command inside the container.',
  ),
  [coreV1('HTTPGetAction')]: s.object(
    {
      path: s.string('Path of the request.', { default: '/' }),
      port: s.intOrString('Port number or container port name to connect to.'),
      host: s.string('Host to connect to; the pod IP when empty.'),
      scheme: s.enumOf(['HTTP', 'HTTPS'], 'Scheme of the request.', { default: 'HTTP' }),
      httpHeaders: atomic(ref('HTTPHeader'), 'Extra request headers.'),
    },
    'An HTTP GET request; a status from 200 to 399 means success.',
  ),
  [coreV1('HTTPHeader')]: s.object(
    {
      name: s.string('Header name.'),
      value: s.string('Header value.'),
    },
    'An HTTP header.',
  ),
  [coreV1('TCPSocketAction')]: s.object(
    {
      port: s.intOrString('Port number or container port name to connect to.'),
      host: s.string('Host to connect to; the pod IP when empty.'),
    },
    'Opens a TCP connection; success when it is accepted.',
  ),
  [coreV1('GRPCAction')]: s.object(
    {
      port: s.int32('Port of the gRPC service.'),
      service: s.string('Service name passed to the health check; the server default when empty.', { default: '' }),
    },
    'Calls the standard gRPC health checking service.',
  ),
  [coreV1('Lifecycle')]: s.object(
    {
      postStart: ref('LifecycleHandler', 'Runs right after the container is created; the container is killed if it fails.'),
      preStop: ref('LifecycleHandler', 'Runs before the container is stopped, within the grace period.'),
    },
    'Hooks run at container start and stop.',
  ),
  [coreV1('LifecycleHandler')]: s.object(
    {
      ...handlerProperties(),
      sleep: ref('SleepAction', 'Wait for a while.'),
    },
    'One lifecycle hook action; exactly one handler.',
  ),
  [coreV1('SleepAction')]: s.object({ seconds: s.int64('Seconds to sleep.') }, 'Sleeps for some seconds.'),

  // ---- security ----
  [coreV1('SecurityContext')]: s.object(
    {
      capabilities: ref('Capabilities', 'Linux capabilities to add to or drop from the runtime default.'),
      privileged: s.boolean('Run with all privileges, like root on the host.'),
      seLinuxOptions: ref('SELinuxOptions', 'SELinux context of the container.'),
      windowsOptions: ref('WindowsSecurityContextOptions', 'Windows-specific options.'),
      runAsUser: s.int64('UID the entrypoint runs as.'),
      runAsGroup: s.int64('GID the entrypoint runs as.'),
      runAsNonRoot: s.boolean('Refuse to start the container if it would run as UID 0.'),
      readOnlyRootFilesystem: s.boolean('Mount the root filesystem read-only.'),
      allowPrivilegeEscalation: s.boolean('Whether a process may gain more privileges than its parent (no_new_privs when false).'),
      procMount: s.enumOf(['Default', 'Unmasked'], 'How /proc is mounted.'),
      seccompProfile: ref('SeccompProfile', 'Seccomp profile of the container.'),
      appArmorProfile: ref('AppArmorProfile', 'AppArmor profile of the container.'),
    },
    'Security settings of one container.',
  ),
  [coreV1('PodSecurityContext')]: s.object(
    {
      seLinuxOptions: ref('SELinuxOptions', 'SELinux context for all containers.'),
      windowsOptions: ref('WindowsSecurityContextOptions', 'Windows-specific options for all containers.'),
      runAsUser: s.int64('UID the containers run as unless they set their own.'),
      runAsGroup: s.int64('GID the containers run as unless they set their own.'),
      runAsNonRoot: s.boolean('Refuse to start containers that would run as UID 0.'),
      supplementalGroups: atomic(s.int64(), 'Extra GIDs for the first process of each container.'),
      supplementalGroupsPolicy: s.enumOf(['Merge', 'Strict'], 'Whether the groups from the image are added to the supplemental groups.'),
      fsGroup: s.int64('GID that owns the volumes and is added to every container.'),
      sysctls: atomic(ref('Sysctl'), 'Namespaced kernel parameters set for the pod.'),
      fsGroupChangePolicy: s.enumOf(['Always', 'OnRootMismatch'], 'When volume ownership is changed to fsGroup.'),
      seccompProfile: ref('SeccompProfile', 'Seccomp profile for all containers.'),
      appArmorProfile: ref('AppArmorProfile', 'AppArmor profile for all containers.'),
      seLinuxChangePolicy: s.enumOf(['MountOption', 'Recursive'], 'How the SELinux label is applied to volumes.'),
    },
    'Security settings shared by all containers of a pod.',
  ),
  [coreV1('Capabilities')]: s.object(
    {
      add: atomic(s.string(), 'Capabilities to add.'),
      drop: atomic(s.string(), 'Capabilities to drop.'),
    },
    'Linux capabilities to add and drop.',
  ),
  [coreV1('SELinuxOptions')]: s.object(
    {
      user: s.string('SELinux user label.'),
      role: s.string('SELinux role label.'),
      type: s.string('SELinux type label.'),
      level: s.string('SELinux level label.'),
    },
    'SELinux labels.',
  ),
  [coreV1('SeccompProfile')]: s.object(
    {
      type: s.string('Localhost, RuntimeDefault or Unconfined.'),
      localhostProfile: s.string('Profile file below the kubelet seccomp directory; only with type Localhost.'),
    },
    'A seccomp profile.',
  ),
  [coreV1('AppArmorProfile')]: s.object(
    {
      type: s.string('Localhost, RuntimeDefault or Unconfined.'),
      localhostProfile: s.string('Name of a profile loaded on the node; only with type Localhost.'),
    },
    'An AppArmor profile.',
  ),
  [coreV1('WindowsSecurityContextOptions')]: s.object(
    {
      gmsaCredentialSpecName: s.string('Name of the GMSACredentialSpec resource to use.'),
      gmsaCredentialSpec: s.string('Inlined GMSA credential spec content.'),
      runAsUserName: s.string('Windows user name the entrypoint runs as.'),
      hostProcess: s.boolean('Run as a Windows HostProcess container.'),
    },
    'Windows-specific security options.',
  ),
  [coreV1('Sysctl')]: s.object(
    {
      name: s.string('Kernel parameter name.'),
      value: s.string('Value to set.'),
    },
    'A kernel parameter to set.',
  ),

  // ---- volumes ----
  [coreV1('Volume')]: s.object(
    {
      name: s.string('Volume name, a DNS-1123 label unique within the pod.', { validate: ['dns1123-label'] }),
      hostPath: ref('HostPathVolumeSource', 'A file or directory of the node.'),
      emptyDir: ref('EmptyDirVolumeSource', 'A scratch directory that lives as long as the pod.'),
      gcePersistentDisk: ref('GCEPersistentDiskVolumeSource', 'Deprecated: a GCE persistent disk.'),
      awsElasticBlockStore: ref('AWSElasticBlockStoreVolumeSource', 'Deprecated: an AWS EBS disk.'),
      gitRepo: ref('GitRepoVolumeSource', 'Deprecated: a directory with a git repository cloned into it.'),
      secret: ref('SecretVolumeSource', 'Keys of a Secret as files.'),
      nfs: ref('NFSVolumeSource', 'An NFS export.'),
      iscsi: ref('ISCSIVolumeSource', 'An iSCSI disk.'),
      glusterfs: ref('GlusterfsVolumeSource', 'Deprecated: a GlusterFS volume.'),
      persistentVolumeClaim: ref('PersistentVolumeClaimVolumeSource', 'The volume bound to a PersistentVolumeClaim of the namespace.'),
      rbd: ref('RBDVolumeSource', 'Deprecated: a Ceph RBD image.'),
      flexVolume: ref('FlexVolumeSource', 'Deprecated: a volume provided by a FlexVolume driver.'),
      cinder: ref('CinderVolumeSource', 'Deprecated: an OpenStack Cinder volume.'),
      cephfs: ref('CephFSVolumeSource', 'Deprecated: a CephFS mount.'),
      flocker: ref('FlockerVolumeSource', 'Deprecated: a Flocker dataset.'),
      downwardAPI: ref('DownwardAPIVolumeSource', 'Pod fields and container resources as files.'),
      fc: ref('FCVolumeSource', 'A Fibre Channel disk.'),
      azureFile: ref('AzureFileVolumeSource', 'Deprecated: an Azure File share.'),
      configMap: ref('ConfigMapVolumeSource', 'Keys of a ConfigMap as files.'),
      vsphereVolume: ref('VsphereVirtualDiskVolumeSource', 'Deprecated: a vSphere virtual disk.'),
      quobyte: ref('QuobyteVolumeSource', 'Deprecated: a Quobyte volume.'),
      azureDisk: ref('AzureDiskVolumeSource', 'Deprecated: an Azure data disk.'),
      photonPersistentDisk: ref('PhotonPersistentDiskVolumeSource', 'Deprecated: a Photon Controller disk.'),
      projected: ref('ProjectedVolumeSource', 'Several secret, configMap, downward API and token sources in one directory.'),
      portworxVolume: ref('PortworxVolumeSource', 'Deprecated: a Portworx volume.'),
      scaleIO: ref('ScaleIOVolumeSource', 'Deprecated: a ScaleIO volume.'),
      storageos: ref('StorageOSVolumeSource', 'Deprecated: a StorageOS volume.'),
      csi: ref('CSIVolumeSource', 'An ephemeral volume provided by a CSI driver.'),
      ephemeral: ref('EphemeralVolumeSource', 'A volume from a PersistentVolumeClaim created for, and deleted with, the pod.'),
      image: ref('ImageVolumeSource', 'The content of an OCI image or artifact, read-only (ImageVolume, alpha).'),
    },
    'A named volume of a pod with exactly one source; an emptyDir when none is given.',
    { required: ['name'] },
  ),
  [coreV1('HostPathVolumeSource')]: s.object(
    {
      path: s.string('Path on the node; a symlink is followed.'),
      type: s.enumOf(['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'], 'What must exist at the path (or be created); "" checks nothing.', {
        default: '',
      }),
    },
    'A file or directory of the node mounted into the pod.',
    { required: ['path'] },
  ),
  [coreV1('EmptyDirVolumeSource')]: s.object(
    {
      medium: s.string('Storage medium: "" for the node default, Memory for tmpfs, or HugePages.'),
      sizeLimit: s.quantity('Most local storage the volume may use.'),
    },
    'An initially empty directory that lives as long as the pod.',
  ),
  [coreV1('SecretVolumeSource')]: s.object(
    {
      secretName: s.string('Name of the Secret in the namespace.'),
      items: keyToPathList(),
      defaultMode: defaultMode(),
      optional: s.boolean('Start the pod even when the Secret or a listed key is missing.'),
    },
    'The keys of a Secret as files.',
    { required: ['secretName'] },
  ),
  [coreV1('ConfigMapVolumeSource')]: s.object(
    {
      name: s.string('Name of the ConfigMap in the namespace.'),
      items: keyToPathList(),
      defaultMode: defaultMode(),
      optional: s.boolean('Start the pod even when the ConfigMap or a listed key is missing.'),
    },
    'The keys of a ConfigMap as files.',
    { required: ['name'] },
  ),
  [coreV1('KeyToPath')]: s.object(
    {
      key: s.string('Key to project.'),
      path: s.string('Relative file path to write the key to; may not contain "..".'),
      mode: s.int32('Permission bits of this file (0000-0777, JSON takes decimal).'),
    },
    'Maps a key to a file path in the volume.',
    { required: ['key', 'path'] },
  ),
  [coreV1('DownwardAPIVolumeSource')]: s.object(
    {
      items: atomic(ref('DownwardAPIVolumeFile'), 'Files to create.'),
      defaultMode: defaultMode(),
    },
    'Pod fields and container resources as files.',
  ),
  [coreV1('DownwardAPIVolumeFile')]: s.object(
    {
      path: s.string('Relative path of the file to create.'),
      fieldRef: ref('ObjectFieldSelector', 'Pod field to write: name, namespace, uid, labels or annotations.'),
      resourceFieldRef: ref('ResourceFieldSelector', 'Container resource limit or request to write.'),
      mode: s.int32('Permission bits of this file (0000-0777, JSON takes decimal).'),
    },
    'One file of a downward API volume.',
  ),
  [coreV1('ProjectedVolumeSource')]: s.object(
    {
      sources: atomic(ref('VolumeProjection'), 'The sources to project.'),
      defaultMode: defaultMode(),
    },
    'Several sources projected into one directory.',
  ),
  [coreV1('VolumeProjection')]: s.object(
    {
      secret: ref('SecretProjection', 'Keys of a Secret.'),
      downwardAPI: ref('DownwardAPIProjection', 'Pod fields and container resources.'),
      configMap: ref('ConfigMapProjection', 'Keys of a ConfigMap.'),
      serviceAccountToken: ref('ServiceAccountTokenProjection', 'A token of the pod service account.'),
      clusterTrustBundle: ref('ClusterTrustBundleProjection', 'Certificates of ClusterTrustBundles (alpha).'),
    },
    'One source of a projected volume; exactly one field.',
  ),
  [coreV1('ConfigMapProjection')]: s.object(
    {
      name: s.string('Name of the ConfigMap.'),
      items: keyToPathList(),
      optional: s.boolean('Ignore a missing ConfigMap or key.'),
    },
    'The keys of a ConfigMap in a projected volume.',
    { required: ['name'] },
  ),
  [coreV1('SecretProjection')]: s.object(
    {
      name: s.string('Name of the Secret.'),
      items: keyToPathList(),
      optional: s.boolean('Ignore a missing Secret or key.'),
    },
    'The keys of a Secret in a projected volume.',
    { required: ['name'] },
  ),
  [coreV1('DownwardAPIProjection')]: s.object(
    { items: atomic(ref('DownwardAPIVolumeFile'), 'Files to create.') },
    'Pod fields and container resources in a projected volume.',
  ),
  [coreV1('ServiceAccountTokenProjection')]: s.object(
    {
      audience: s.string('Intended audience of the token; the API server when empty.'),
      expirationSeconds: s.int64('Requested lifetime of the token, at least 600; the kubelet rotates it before it expires.', { default: 3600 }),
      path: s.string('Relative path of the token file.'),
    },
    'A bound service account token written to a file.',
  ),
  [coreV1('ClusterTrustBundleProjection')]: s.object(
    {
      name: s.string('A ClusterTrustBundle by name; not with signerName.'),
      signerName: s.string('All ClusterTrustBundles of this signer (filtered by labelSelector).'),
      labelSelector: s.ref(LABEL_SELECTOR, 'Selects the bundles of signerName to include.'),
      optional: s.boolean('Write nothing rather than fail when no bundle is found.'),
      path: s.string('Relative path of the file to write.'),
    },
    'Certificates from ClusterTrustBundles written to one file.',
  ),
  [coreV1('PersistentVolumeClaimVolumeSource')]: s.object(
    {
      claimName: s.string('Name of a PersistentVolumeClaim in the namespace.'),
      readOnly: s.boolean('Mount read-only.'),
    },
    'The volume bound to a PersistentVolumeClaim.',
    { required: ['claimName'] },
  ),
  [coreV1('NFSVolumeSource')]: s.object(
    {
      server: s.string('Host name or IP of the NFS server.'),
      path: s.string('Absolute path exported by the server.'),
      readOnly: s.boolean('Mount read-only.'),
    },
    'An NFS export.',
    { required: ['server', 'path'] },
  ),
  [coreV1('EphemeralVolumeSource')]: s.object(
    {
      volumeClaimTemplate: s.ref(PERSISTENT_VOLUME_CLAIM_TEMPLATE, 'Template of the PVC created as <pod name>-<volume name>.'),
    },
    'A generic ephemeral volume: a PVC created with the pod and deleted with it.',
    { required: ['volumeClaimTemplate'] },
  ),
  [coreV1('ImageVolumeSource')]: s.object(
    {
      reference: s.string('Image or artifact reference to mount.'),
      pullPolicy: s.enumOf(['Always', 'IfNotPresent', 'Never'], 'When the reference is pulled; like a container imagePullPolicy.'),
    },
    'An OCI image or artifact mounted read-only.',
    { required: ['reference'] },
  ),

  // ---- scheduling ----
  [coreV1('Affinity')]: s.object(
    {
      nodeAffinity: ref('NodeAffinity', 'Rules on the labels of the node.'),
      podAffinity: ref('PodAffinity', 'Rules to run near pods matching a selector.'),
      podAntiAffinity: ref('PodAntiAffinity', 'Rules to run away from pods matching a selector.'),
    },
    'Scheduling affinity rules.',
  ),
  [coreV1('NodeAffinity')]: s.object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: ref('NodeSelector', 'Node terms, one of which a node must match.'),
      preferredDuringSchedulingIgnoredDuringExecution: atomic(ref('PreferredSchedulingTerm'), 'Weighted node terms the scheduler prefers.'),
    },
    'Node affinity rules.',
  ),
  [coreV1('NodeSelector')]: s.object(
    { nodeSelectorTerms: atomic(ref('NodeSelectorTerm'), 'Terms that are ORed.') },
    'A set of node selector terms, at least one of which must match.',
    { mapType: 'atomic' },
  ),
  [coreV1('NodeSelectorTerm')]: s.object(
    {
      matchExpressions: atomic(ref('NodeSelectorRequirement'), 'Requirements on node labels; ANDed.'),
      matchFields: atomic(ref('NodeSelectorRequirement'), 'Requirements on node fields (metadata.name); ANDed.'),
    },
    'Requirements a node must all meet; an empty term matches nothing.',
    { mapType: 'atomic' },
  ),
  [coreV1('NodeSelectorRequirement')]: s.object(
    {
      key: s.string('Label key (or field name) the requirement is on.'),
      operator: s.string('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
      values: atomic(s.string(), 'Values: several for In/NotIn, none for Exists/DoesNotExist, one integer for Gt/Lt.'),
    },
    'A requirement on a node label or field.',
  ),
  [coreV1('PreferredSchedulingTerm')]: s.object(
    {
      weight: s.int32('Weight from 1 to 100 added to matching nodes.'),
      preference: ref('NodeSelectorTerm', 'The node term.'),
    },
    'A node term the scheduler prefers, with a weight.',
  ),
  [coreV1('PodAffinity')]: s.object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: atomic(ref('PodAffinityTerm'), 'Terms that must all hold.'),
      preferredDuringSchedulingIgnoredDuringExecution: atomic(ref('WeightedPodAffinityTerm'), 'Weighted terms the scheduler prefers.'),
    },
    'Rules to co-locate the pod with other pods.',
  ),
  [coreV1('PodAntiAffinity')]: s.object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: atomic(ref('PodAffinityTerm'), 'Terms that must all hold.'),
      preferredDuringSchedulingIgnoredDuringExecution: atomic(ref('WeightedPodAffinityTerm'), 'Weighted terms the scheduler prefers.'),
    },
    'Rules to keep the pod away from other pods.',
  ),
  [coreV1('PodAffinityTerm')]: s.object(
    {
      labelSelector: s.ref(LABEL_SELECTOR, 'Selects the pods the term is about.'),
      namespaces: atomic(s.string(), "Namespaces of those pods; the pod's own when empty (and no namespaceSelector)."),
      topologyKey: s.string('Node label whose value defines the topology domain, e.g. kubernetes.io/hostname.'),
      namespaceSelector: s.ref(LABEL_SELECTOR, 'Selects namespaces of those pods, added to namespaces.'),
      matchLabelKeys: atomic(s.string(), "Label keys whose values are taken from the incoming pod and added to the selector with In."),
      mismatchLabelKeys: atomic(s.string(), "Label keys whose values are taken from the incoming pod and added to the selector with NotIn."),
    },
    'Pods (by selector and namespaces) the pod must, or must not, share a topology domain with.',
  ),
  [coreV1('WeightedPodAffinityTerm')]: s.object(
    {
      weight: s.int32('Weight from 1 to 100.'),
      podAffinityTerm: ref('PodAffinityTerm', 'The term.'),
    },
    'A preferred pod affinity term with a weight.',
  ),
  [coreV1('Toleration')]: s.object(
    {
      key: s.string('Taint key tolerated; with operator Exists, empty means all taints.'),
      operator: s.string('Equal (the default) or Exists.'),
      value: s.string('Taint value to match with Equal; empty with Exists.'),
      effect: s.string('Taint effect tolerated: NoSchedule, PreferNoSchedule or NoExecute; all when empty.'),
      tolerationSeconds: s.int64('With NoExecute: seconds the pod stays bound after the taint appears.'),
    },
    'Lets the pod be scheduled onto (or stay on) nodes with a matching taint.',
  ),
  [coreV1('TopologySpreadConstraint')]: s.object(
    {
      maxSkew: s.int32('Largest allowed difference in matching pods between two domains; greater than zero.'),
      topologyKey: s.string('Node label whose values are the topology domains.'),
      whenUnsatisfiable: s.enumOf(['DoNotSchedule', 'ScheduleAnyway'], 'What to do when the constraint cannot be met.'),
      labelSelector: s.ref(LABEL_SELECTOR, 'Pods counted in each domain.'),
      minDomains: s.int32('Fewest eligible domains; fewer count as having zero pods (needs DoNotSchedule).'),
      nodeAffinityPolicy: s.enumOf(['Honor', 'Ignore'], "Whether the pod's node affinity limits the nodes counted."),
      nodeTaintsPolicy: s.enumOf(['Honor', 'Ignore'], 'Whether node taints limit the nodes counted.'),
      matchLabelKeys: atomic(s.string(), 'Label keys whose values from the incoming pod narrow the selector.'),
    },
    'How matching pods are spread across topology domains.',
  ),
  [coreV1('HostAlias')]: s.object(
    {
      ip: s.string('IP address of the entry.'),
      hostnames: atomic(s.string(undefined, { validate: ['dns1123-subdomain'] }), 'Host names for the IP.'),
    },
    'An /etc/hosts entry.',
  ),
  [coreV1('PodDNSConfig')]: s.object(
    {
      nameservers: atomic(s.string(), 'DNS server IPs (at most 3 in all).'),
      searches: atomic(s.string(), 'DNS search domains.'),
      options: atomic(ref('PodDNSConfigOption'), 'Resolver options.'),
    },
    'DNS settings merged into those from the DNS policy.',
  ),
  [coreV1('PodDNSConfigOption')]: s.object(
    {
      name: s.string('Option name.'),
      value: s.string('Option value.'),
    },
    'A resolver option.',
  ),
  [coreV1('PodReadinessGate')]: s.object(
    { conditionType: s.string('Pod condition type that must be True.') },
    'An extra pod condition needed for readiness.',
  ),
  [coreV1('PodSchedulingGate')]: s.object({ name: s.string('Gate name, a qualified name.') }, 'A gate that blocks scheduling until removed.'),
  [coreV1('PodOS')]: s.object({ name: s.string('linux or windows.') }, 'Operating system of the pod.'),
  [coreV1('PodResourceClaim')]: s.object(
    {
      name: s.string('Name of the entry, used by containers to refer to it.'),
      resourceClaimName: s.string('An existing ResourceClaim in the namespace.'),
      resourceClaimTemplateName: s.string('A ResourceClaimTemplate from which a claim is created for the pod.'),
    },
    'A dynamic resource claim of the pod; exactly one source.',
  ),

  // ---- status ----
  [POD_STATUS]: s.object(
    {
      phase: s.string('Pending, Running, Succeeded, Failed or Unknown.'),
      conditions: keyed(ref('PodCondition'), 'type', 'Current conditions such as PodScheduled, Initialized, ContainersReady and Ready.'),
      message: s.string('Human-readable detail of the current state.'),
      reason: s.string('CamelCase reason of the current state, e.g. Evicted.'),
      nominatedNodeName: s.string('Node the pod may run on once preemption there completes.'),
      hostIP: s.string('Primary IP of the node the pod runs on.'),
      hostIPs: s.array(ref('HostIP'), 'IPs of the node, at most one per family; the first is hostIP.', {
        mergeKey: 'ip',
        strategy: 'merge',
        listType: 'atomic',
      }),
      podIP: s.string('Primary IP of the pod.'),
      podIPs: keyed(ref('PodIP'), 'ip', 'IPs of the pod, at most one per family; the first is podIP.'),
      startTime: s.time('When the kubelet accepted the pod.'),
      initContainerStatuses: atomic(ref('ContainerStatus'), 'Status of each init container.'),
      containerStatuses: atomic(ref('ContainerStatus'), 'Status of each app container.'),
      qosClass: s.string('Guaranteed, Burstable or BestEffort, derived from the resources.'),
      ephemeralContainerStatuses: atomic(ref('ContainerStatus'), 'Status of each ephemeral container.'),
      resize: s.string('State of an in-place resize: Proposed, InProgress, Deferred or Infeasible.'),
      resourceClaimStatuses: keyed(ref('PodResourceClaimStatus'), 'name', 'Names of the ResourceClaims generated for the pod.', 'merge,retainKeys'),
    },
    'Observed state of a pod.',
  ),
  [coreV1('PodCondition')]: s.object(
    {
      type: s.string('Condition type, e.g. Ready.'),
      status: s.string('True, False or Unknown.'),
      lastProbeTime: s.time('When the condition was last checked.'),
      lastTransitionTime: s.time('When the status last changed.'),
      reason: s.string('CamelCase reason of the last transition.'),
      message: s.string('Human-readable detail of the last transition.'),
    },
    'A condition of a pod.',
  ),
  [coreV1('PodIP')]: s.object({ ip: s.string('An IP address of the pod.') }, 'One IP of a pod.'),
  [coreV1('HostIP')]: s.object({ ip: s.string('An IP address of the node.') }, 'One IP of the node a pod runs on.'),
  [coreV1('PodResourceClaimStatus')]: s.object(
    {
      name: s.string('Name of the spec.resourceClaims entry.'),
      resourceClaimName: s.string('Name of the ResourceClaim generated for it.'),
    },
    'The ResourceClaim generated for a pod resource claim.',
  ),
  [coreV1('ContainerStatus')]: s.object(
    {
      name: s.string('Name of the container.'),
      state: ref('ContainerState', 'Current state.'),
      lastState: ref('ContainerState', 'State of the previous run, typically why it terminated.'),
      ready: s.boolean('Whether the readiness probe currently succeeds.'),
      restartCount: s.int32('Times the container has been restarted.'),
      image: s.string('Image the container runs.'),
      imageID: s.string('ID of that image.'),
      containerID: s.string('Runtime ID as <type>://<id>.'),
      started: s.boolean('Whether the startup probe has succeeded (true without one once running).'),
      allocatedResources: resourceList('Resources the node allocated to the container.'),
      resources: ref('ResourceRequirements', 'Resources the running container is actually configured with.'),
      volumeMounts: keyed(ref('VolumeMountStatus'), 'mountPath', 'Mounts as actually done.'),
      user: ref('ContainerUser', 'Identity the first process runs as.'),
      allocatedResourcesStatus: keyed(ref('ResourceStatus'), 'name', 'Health of the resources allocated to the container.'),
    },
    'Observed state of one container.',
  ),
  [coreV1('ContainerState')]: s.object(
    {
      waiting: ref('ContainerStateWaiting', 'Details when the container is waiting.'),
      running: ref('ContainerStateRunning', 'Details when the container is running.'),
      terminated: ref('ContainerStateTerminated', 'Details when the container has terminated.'),
    },
    'State of a container; at most one member is set (waiting when none).',
  ),
  [coreV1('ContainerStateWaiting')]: s.object(
    {
      reason: s.string('Why it is waiting, e.g. ContainerCreating or CrashLoopBackOff.'),
      message: s.string('Human-readable detail.'),
    },
    'A container that is not running yet.',
  ),
  [coreV1('ContainerStateRunning')]: s.object({ startedAt: s.time('When the container last started.') }, 'A running container.'),
  [coreV1('ContainerStateTerminated')]: s.object(
    {
      exitCode: s.int32('Exit status of the last run.'),
      signal: s.int32('Signal that ended the last run, if any.'),
      reason: s.string('Why it terminated, e.g. Completed or OOMKilled.'),
      message: s.string('Human-readable detail.'),
      startedAt: s.time('When the last run started.'),
      finishedAt: s.time('When the last run ended.'),
      containerID: s.string('Runtime ID of the terminated container.'),
    },
    'A container that has terminated.',
  ),
  [coreV1('VolumeMountStatus')]: s.object(
    {
      name: s.string('Volume name of the mount.'),
      mountPath: s.string('Path of the mount.'),
      readOnly: s.boolean('Whether the mount is read-only.'),
      recursiveReadOnly: s.string('Disabled or Enabled: whether the read-only mount is recursive.'),
    },
    'How a volume was actually mounted.',
  ),
  [coreV1('ContainerUser')]: s.object({ linux: ref('LinuxContainerUser', 'The Linux identity.') }, 'Identity of the first process of a container.'),
  [coreV1('LinuxContainerUser')]: s.object(
    {
      uid: s.int64('User ID.'),
      gid: s.int64('Primary group ID.'),
      supplementalGroups: atomic(s.int64(), 'Supplemental group IDs.'),
    },
    'A Linux user identity.',
  ),
  [coreV1('ResourceStatus')]: s.object(
    {
      name: s.string('Resource name, e.g. a claim:<name>/<request> or a device plugin resource.'),
      resources: s.array(ref('ResourceHealth'), 'Health of each allocated device.', { listType: 'map', listMapKeys: ['resourceID'] }),
    },
    'Health of one allocated resource.',
  ),
  [coreV1('ResourceHealth')]: s.object(
    {
      resourceID: s.string('ID of the device.'),
      health: s.string('Healthy, Unhealthy or Unknown.'),
    },
    'Health of one device.',
  ),

  // ---- references ----
  [coreV1('ObjectReference')]: s.object(
    {
      kind: s.string('Kind of the referent.'),
      namespace: s.string('Namespace of the referent.'),
      name: s.string('Name of the referent.'),
      uid: s.string('UID of the referent.'),
      apiVersion: s.string('API version of the referent.'),
      resourceVersion: s.string('Resource version of the referent the reference was made from.'),
      fieldPath: s.string('Part of the referent meant, e.g. spec.containers{name}.'),
    },
    'A reference to an object, possibly in another namespace.',
    { mapType: 'atomic' },
  ),
  [coreV1('LocalObjectReference')]: s.object(
    { name: s.string('Name of the referent in the same namespace.') },
    'A reference to an object in the same namespace.',
    { mapType: 'atomic' },
  ),
  [coreV1('TypedLocalObjectReference')]: s.object(
    {
      apiGroup: s.string("API group of the referent; the core group when empty."),
      kind: s.string('Kind of the referent.'),
      name: s.string('Name of the referent.'),
    },
    'A reference to an object of a given kind in the same namespace.',
    { mapType: 'atomic' },
  ),
};
