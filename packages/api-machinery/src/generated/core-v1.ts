// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// core/v1 (io.k8s.api.core.v1): types of the objects as the API serves them.
import type { Condition, LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';

/** A group of containers scheduled together on one node, sharing network and volumes. */
export interface Pod {
  /** API version of this object: v1. */
  apiVersion?: string;
  /** Kind of this object: Pod. */
  kind?: string;
  /** The pod's name, namespace, labels and annotations. */
  metadata?: ObjectMeta;
  /** What the pod should run. */
  spec?: PodSpec;
  /** What the pod is doing, as reported by the kubelet and scheduler. */
  status?: PodStatus;
}

/** A list of Pod objects. */
export interface PodList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Pod objects. */
  items: Pod[];
}

/** A stored pod template, used as a reusable description of pods. */
export interface PodTemplate {
  /** API version of this object: v1. */
  apiVersion?: string;
  /** Kind of this object: PodTemplate. */
  kind?: string;
  /** The template's name, namespace, labels and annotations. */
  metadata?: ObjectMeta;
  /** The pod template itself. */
  template?: PodTemplateSpec;
}

/** A list of PodTemplate objects. */
export interface PodTemplateList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The PodTemplate objects. */
  items: PodTemplate[];
}

/** Assigns a pod to a node; posted by the scheduler to pods/binding. */
export interface Binding {
  /** API version of this object: v1. */
  apiVersion?: string;
  /** Kind of this object: Binding. */
  kind?: string;
  /** Name and namespace of the pod being bound. */
  metadata?: ObjectMeta;
  /** The node the pod is bound to. */
  target?: ObjectReference;
}

/** Metadata and spec from which pods are created. */
export interface PodTemplateSpec {
  /** Labels and annotations given to pods created from the template. */
  metadata?: ObjectMeta;
  /** Spec of pods created from the template. */
  spec?: PodSpec;
}

/** Desired state of a pod: its containers, volumes and scheduling and runtime settings. */
export interface PodSpec {
  /** Volumes that containers of the pod can mount. */
  volumes?: Volume[];
  /** Containers run one after another to completion before the app containers start. */
  initContainers?: Container[];
  /** The app containers of the pod; at least one. */
  containers: Container[];
  /** Debugging containers added to a running pod through the ephemeralcontainers subresource. */
  ephemeralContainers?: EphemeralContainer[];
  /** When the kubelet restarts containers that exit. */
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Seconds between the stop signal and the kill on deletion; 0 kills at once. */
  terminationGracePeriodSeconds?: number;
  /** Seconds the pod may be active before the system fails it. */
  activeDeadlineSeconds?: number;
  /** How DNS resolution is configured for the pod. */
  dnsPolicy?: 'ClusterFirstWithHostNet' | 'ClusterFirst' | 'Default' | 'None';
  /** Labels a node must have for the pod to be scheduled on it. */
  nodeSelector?: Record<string, string>;
  /** ServiceAccount the pod runs as. */
  serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName, kept in sync with it. */
  serviceAccount?: string;
  /** Whether a service account token is mounted automatically. */
  automountServiceAccountToken?: boolean;
  /** Node the pod is bound to; set by the scheduler, or by the user to bypass it. */
  nodeName?: string;
  /** Use the node's network namespace; container ports then become host ports. */
  hostNetwork?: boolean;
  /** Use the node's PID namespace. */
  hostPID?: boolean;
  /** Use the node's IPC namespace. */
  hostIPC?: boolean;
  /** All containers of the pod share one PID namespace. */
  shareProcessNamespace?: boolean;
  /** Pod-wide security settings. */
  securityContext?: PodSecurityContext;
  /** Secrets in the namespace used to pull the images. */
  imagePullSecrets?: LocalObjectReference[];
  /** The pod's hostname; the pod name when empty. */
  hostname?: string;
  /** Subdomain, giving the pod the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>. */
  subdomain?: string;
  /** Node affinity and pod (anti-)affinity scheduling constraints. */
  affinity?: Affinity;
  /** Scheduler that places the pod. */
  schedulerName?: string;
  /** Taints the pod tolerates. */
  tolerations?: Toleration[];
  /** Extra entries for the pod's /etc/hosts. */
  hostAliases?: HostAlias[];
  /** PriorityClass giving the pod its priority. */
  priorityClassName?: string;
  /** Priority value, filled in from priorityClassName by admission. */
  priority?: number;
  /** DNS parameters merged into the ones dnsPolicy produces. */
  dnsConfig?: PodDNSConfig;
  /** Extra pod conditions that must be True for the pod to be Ready. */
  readinessGates?: PodReadinessGate[];
  /** RuntimeClass used to run the pod. */
  runtimeClassName?: string;
  /** Inject Docker-link-style environment variables for the Services in the namespace. */
  enableServiceLinks?: boolean;
  /** Whether the pod may preempt lower-priority pods. */
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /** Resources the runtime itself uses for the pod, set from the RuntimeClass by admission. */
  overhead?: Record<string, string>;
  /** How pods are spread across topology domains. */
  topologySpreadConstraints?: TopologySpreadConstraint[];
  /** Use the pod's FQDN as its hostname. */
  setHostnameAsFQDN?: boolean;
  /** Operating system the pod is meant for. */
  os?: PodOS;
  /** Use the node's user namespace; false gives the pod its own. */
  hostUsers?: boolean;
  /** Gates that keep the pod from being scheduled until they are all removed. */
  schedulingGates?: PodSchedulingGate[];
  /** Dynamic resource claims the containers may use. */
  resourceClaims?: PodResourceClaim[];
  /** Pod-level resources shared by all containers (PodLevelResources, alpha). */
  resources?: ResourceRequirements;
}

/** One container of a pod. */
export interface Container {
  /** Name of the container, a DNS-1123 label unique within the pod. */
  name: string;
  /** Container image reference, e.g. nginx:1.27 or registry.example/app@sha256:... */
  image: string;
  /** Entrypoint to run instead of the image ENTRYPOINT; $(VAR) references are expanded from env. */
  command?: string[];
  /** Arguments to the entrypoint instead of the image CMD; $(VAR) references are expanded from env. */
  args?: string[];
  /** Working directory inside the container; the image's default when empty. */
  workingDir?: string;
  /** Ports the container listens on (informational, except hostPort). */
  ports?: ContainerPort[];
  /** ConfigMaps and Secrets whose keys all become environment variables; env entries win on conflict. */
  envFrom?: EnvFromSource[];
  /** Environment variables to set in the container. */
  env?: EnvVar[];
  /** Compute resources requested by and limited for the container. */
  resources?: ResourceRequirements;
  /** How each resource may be resized in place (with or without a restart). */
  resizePolicy?: ContainerResizePolicy[];
  /** Only for init containers: Always makes it a sidecar that keeps running beside the main containers. */
  restartPolicy?: string;
  /** Pod volumes mounted into the container's filesystem. */
  volumeMounts?: VolumeMount[];
  /** Block-mode volumes exposed to the container as raw devices. */
  volumeDevices?: VolumeDevice[];
  /** Periodic check; the container is restarted when it fails. */
  livenessProbe?: Probe;
  /** Periodic check; the container only receives Service traffic while it succeeds. */
  readinessProbe?: Probe;
  /** Check that must succeed once before the other probes start. */
  startupProbe?: Probe;
  /** Actions run right after the container starts and just before it stops. */
  lifecycle?: Lifecycle;
  /** File whose content becomes the container's termination message. */
  terminationMessagePath?: string;
  /** Where the termination message comes from: the file only, or the log tail when the file is empty and the container failed. */
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /** When the kubelet pulls the image; defaults to Always for :latest or untagged images, IfNotPresent otherwise. */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Security options for this container, overriding the pod-level ones. */
  securityContext?: SecurityContext;
  /** Keep a stdin buffer open for the container (kubectl attach -i). */
  stdin?: boolean;
  /** Close stdin after the first attached client disconnects. */
  stdinOnce?: boolean;
  /** Allocate a TTY for the container (needs stdin). */
  tty?: boolean;
}

/** A temporary container added to a running pod for debugging; ports, probes, lifecycle and resources are not allowed. */
export interface EphemeralContainer {
  /** Name of the ephemeral container, a DNS-1123 label unique within the pod. */
  name: string;
  /** Container image reference, e.g. nginx:1.27 or registry.example/app@sha256:... */
  image: string;
  /** Entrypoint to run instead of the image ENTRYPOINT; $(VAR) references are expanded from env. */
  command?: string[];
  /** Arguments to the entrypoint instead of the image CMD; $(VAR) references are expanded from env. */
  args?: string[];
  /** Working directory inside the container; the image's default when empty. */
  workingDir?: string;
  /** Ports the container listens on (informational, except hostPort). */
  ports?: ContainerPort[];
  /** ConfigMaps and Secrets whose keys all become environment variables; env entries win on conflict. */
  envFrom?: EnvFromSource[];
  /** Environment variables to set in the container. */
  env?: EnvVar[];
  /** Compute resources requested by and limited for the container. */
  resources?: ResourceRequirements;
  /** How each resource may be resized in place (with or without a restart). */
  resizePolicy?: ContainerResizePolicy[];
  /** Only for init containers: Always makes it a sidecar that keeps running beside the main containers. */
  restartPolicy?: string;
  /** Pod volumes mounted into the container's filesystem. */
  volumeMounts?: VolumeMount[];
  /** Block-mode volumes exposed to the container as raw devices. */
  volumeDevices?: VolumeDevice[];
  /** Periodic check; the container is restarted when it fails. */
  livenessProbe?: Probe;
  /** Periodic check; the container only receives Service traffic while it succeeds. */
  readinessProbe?: Probe;
  /** Check that must succeed once before the other probes start. */
  startupProbe?: Probe;
  /** Actions run right after the container starts and just before it stops. */
  lifecycle?: Lifecycle;
  /** File whose content becomes the container's termination message. */
  terminationMessagePath?: string;
  /** Where the termination message comes from: the file only, or the log tail when the file is empty and the container failed. */
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /** When the kubelet pulls the image; defaults to Always for :latest or untagged images, IfNotPresent otherwise. */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Security options for this container, overriding the pod-level ones. */
  securityContext?: SecurityContext;
  /** Keep a stdin buffer open for the container (kubectl attach -i). */
  stdin?: boolean;
  /** Close stdin after the first attached client disconnects. */
  stdinOnce?: boolean;
  /** Allocate a TTY for the container (needs stdin). */
  tty?: boolean;
  /** Container whose namespaces (e.g. PID) the ephemeral container joins. */
  targetContainerName?: string;
}

/** A network port of a container. */
export interface ContainerPort {
  /** IANA service name of the port, referable by Services (at most 15 characters). */
  name?: string;
  /** Port on the node to expose the container port at; usually unset. */
  hostPort?: number;
  /** Port number on the pod IP (1-65535). */
  containerPort?: number;
  /** Protocol of the port. */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /** Node IP to bind the host port to. */
  hostIP?: string;
}

/** An environment variable of a container. */
export interface EnvVar {
  /** Variable name (printable ASCII, no =). */
  name: string;
  /** Value, with $(VAR) references to earlier variables expanded. */
  value?: string;
  /** Take the value from a pod field, a resource, a ConfigMap or a Secret; not with value. */
  valueFrom?: EnvVarSource;
}

/** Where an environment variable takes its value from; exactly one source. */
export interface EnvVarSource {
  /** A field of the pod (downward API). */
  fieldRef?: ObjectFieldSelector;
  /** A resource limit or request of a container. */
  resourceFieldRef?: ResourceFieldSelector;
  /** A key of a ConfigMap in the namespace. */
  configMapKeyRef?: ConfigMapKeySelector;
  /** A key of a Secret in the namespace. */
  secretKeyRef?: SecretKeySelector;
}

/** Selects a field of the pod. */
export interface ObjectFieldSelector {
  /** Version of the schema fieldPath is written against. */
  apiVersion?: string;
  /** Path of the field, e.g. metadata.name or metadata.labels['app']. */
  fieldPath?: string;
}

/** Selects a resource limit or request of a container. */
export interface ResourceFieldSelector {
  /** Container whose resources are read; required in volumes, the current container in env. */
  containerName?: string;
  /** Resource to read, e.g. limits.cpu or requests.memory. */
  resource?: string;
  /** Unit the value is divided by; 1 when unset. */
  divisor?: string;
}

/** Selects a key of a ConfigMap. */
export interface ConfigMapKeySelector {
  /** Name of the ConfigMap. */
  name?: string;
  /** Key to read. */
  key?: string;
  /** Start the container even when the ConfigMap or key is missing. */
  optional?: boolean;
}

/** Selects a key of a Secret. */
export interface SecretKeySelector {
  /** Name of the Secret. */
  name?: string;
  /** Key to read. */
  key?: string;
  /** Start the container even when the Secret or key is missing. */
  optional?: boolean;
}

/** A ConfigMap or Secret whose keys become environment variables. */
export interface EnvFromSource {
  /** Prefix added to every variable name taken from the source. */
  prefix?: string;
  /** ConfigMap to take variables from. */
  configMapRef?: ConfigMapEnvSource;
  /** Secret to take variables from. */
  secretRef?: SecretEnvSource;
}

/** A ConfigMap used as a set of environment variables. */
export interface ConfigMapEnvSource {
  /** Name of the ConfigMap. */
  name?: string;
  /** Start the container even when the ConfigMap is missing. */
  optional?: boolean;
}

/** A Secret used as a set of environment variables. */
export interface SecretEnvSource {
  /** Name of the Secret. */
  name?: string;
  /** Start the container even when the Secret is missing. */
  optional?: boolean;
}

/** A pod volume mounted into a container. */
export interface VolumeMount {
  /** Name of the pod volume to mount. */
  name: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Disabled, IfPossible or Enabled: whether submounts are read-only too (needs readOnly). */
  recursiveReadOnly?: string;
  /** Absolute path in the container to mount at; may not contain ":". */
  mountPath: string;
  /** Path inside the volume to mount instead of its root. */
  subPath?: string;
  /** None, HostToContainer or Bidirectional: how mounts propagate between host and container. */
  mountPropagation?: string;
  /** Like subPath, with $(VAR) references expanded from the environment; not with subPath. */
  subPathExpr?: string;
}

/** A block volume exposed to a container as a raw device. */
export interface VolumeDevice {
  /** Name of a persistentVolumeClaim or ephemeral volume of the pod. */
  name: string;
  /** Path in the container the device appears at. */
  devicePath: string;
}

/** Compute resource requests and limits. */
export interface ResourceRequirements {
  /** Most of each resource the container may use. */
  limits?: Record<string, string>;
  /** Resources the container is scheduled against; default to the limits when only those are set. */
  requests?: Record<string, string>;
  /** Entries of spec.resourceClaims this container uses. */
  claims?: ResourceClaim[];
}

/** A reference to one of the pod resource claims. */
export interface ResourceClaim {
  /** Name of an entry in the pod spec.resourceClaims. */
  name?: string;
  /** One request of the claim; the whole claim when empty. */
  request?: string;
}

/** How a resource of a container is resized in place. */
export interface ContainerResizePolicy {
  /** Resource the policy is for: cpu or memory. */
  resourceName?: string;
  /** NotRequired or RestartContainer: whether resizing the resource restarts the container. */
  restartPolicy?: string;
}

/** A periodic health check of a container; exactly one handler. */
export interface Probe {
  /** Run a command inside the container. */
  exec?: ExecAction;
  /** Send an HTTP GET request. */
  httpGet?: HTTPGetAction;
  /** Open a TCP connection. */
  tcpSocket?: TCPSocketAction;
  /** Call the gRPC health checking service. */
  grpc?: GRPCAction;
  /** Seconds after the container starts before the first probe. */
  initialDelaySeconds?: number;
  /** Seconds before a probe attempt times out. */
  timeoutSeconds?: number;
  /** Seconds between probe attempts. */
  periodSeconds?: number;
  /** Consecutive successes needed after a failure; must be 1 for liveness and startup probes. */
  successThreshold?: number;
  /** Consecutive failures after which the probe is considered failed. */
  failureThreshold?: number;
  /** Grace period used when a failing probe kills the container, overriding the pod's. */
  terminationGracePeriodSeconds?: number;
}

/** Runs a command inside the container. */
export interface ExecAction {
  /** Command line run directly (no shell); exit status 0 means healthy. */
  command?: string[];
}

/** An HTTP GET request; a status from 200 to 399 means success. */
export interface HTTPGetAction {
  /** Path of the request. */
  path?: string;
  /** Port number or container port name to connect to. */
  port?: number | string;
  /** Host to connect to; the pod IP when empty. */
  host?: string;
  /** Scheme of the request. */
  scheme?: 'HTTP' | 'HTTPS';
  /** Extra request headers. */
  httpHeaders?: HTTPHeader[];
}

/** An HTTP header. */
export interface HTTPHeader {
  /** Header name. */
  name?: string;
  /** Header value. */
  value?: string;
}

/** Opens a TCP connection; success when it is accepted. */
export interface TCPSocketAction {
  /** Port number or container port name to connect to. */
  port?: number | string;
  /** Host to connect to; the pod IP when empty. */
  host?: string;
}

/** Calls the standard gRPC health checking service. */
export interface GRPCAction {
  /** Port of the gRPC service. */
  port?: number;
  /** Service name passed to the health check; the server default when empty. */
  service?: string;
}

/** Hooks run at container start and stop. */
export interface Lifecycle {
  /** Runs right after the container is created; the container is killed if it fails. */
  postStart?: LifecycleHandler;
  /** Runs before the container is stopped, within the grace period. */
  preStop?: LifecycleHandler;
}

/** One lifecycle hook action; exactly one handler. */
export interface LifecycleHandler {
  /** Run a command inside the container. */
  exec?: ExecAction;
  /** Send an HTTP GET request. */
  httpGet?: HTTPGetAction;
  /** Open a TCP connection. */
  tcpSocket?: TCPSocketAction;
  /** Wait for a while. */
  sleep?: SleepAction;
}

/** Sleeps for some seconds. */
export interface SleepAction {
  /** Seconds to sleep. */
  seconds?: number;
}

/** Security settings of one container. */
export interface SecurityContext {
  /** Linux capabilities to add to or drop from the runtime default. */
  capabilities?: Capabilities;
  /** Run with all privileges, like root on the host. */
  privileged?: boolean;
  /** SELinux context of the container. */
  seLinuxOptions?: SELinuxOptions;
  /** Windows-specific options. */
  windowsOptions?: WindowsSecurityContextOptions;
  /** UID the entrypoint runs as. */
  runAsUser?: number;
  /** GID the entrypoint runs as. */
  runAsGroup?: number;
  /** Refuse to start the container if it would run as UID 0. */
  runAsNonRoot?: boolean;
  /** Mount the root filesystem read-only. */
  readOnlyRootFilesystem?: boolean;
  /** Whether a process may gain more privileges than its parent (no_new_privs when false). */
  allowPrivilegeEscalation?: boolean;
  /** How /proc is mounted. */
  procMount?: 'Default' | 'Unmasked';
  /** Seccomp profile of the container. */
  seccompProfile?: SeccompProfile;
  /** AppArmor profile of the container. */
  appArmorProfile?: AppArmorProfile;
}

/** Security settings shared by all containers of a pod. */
export interface PodSecurityContext {
  /** SELinux context for all containers. */
  seLinuxOptions?: SELinuxOptions;
  /** Windows-specific options for all containers. */
  windowsOptions?: WindowsSecurityContextOptions;
  /** UID the containers run as unless they set their own. */
  runAsUser?: number;
  /** GID the containers run as unless they set their own. */
  runAsGroup?: number;
  /** Refuse to start containers that would run as UID 0. */
  runAsNonRoot?: boolean;
  /** Extra GIDs for the first process of each container. */
  supplementalGroups?: number[];
  /** Whether the groups from the image are added to the supplemental groups. */
  supplementalGroupsPolicy?: 'Merge' | 'Strict';
  /** GID that owns the volumes and is added to every container. */
  fsGroup?: number;
  /** Namespaced kernel parameters set for the pod. */
  sysctls?: Sysctl[];
  /** When volume ownership is changed to fsGroup. */
  fsGroupChangePolicy?: 'Always' | 'OnRootMismatch';
  /** Seccomp profile for all containers. */
  seccompProfile?: SeccompProfile;
  /** AppArmor profile for all containers. */
  appArmorProfile?: AppArmorProfile;
  /** How the SELinux label is applied to volumes. */
  seLinuxChangePolicy?: 'MountOption' | 'Recursive';
}

/** Linux capabilities to add and drop. */
export interface Capabilities {
  /** Capabilities to add. */
  add?: string[];
  /** Capabilities to drop. */
  drop?: string[];
}

/** SELinux labels. */
export interface SELinuxOptions {
  /** SELinux user label. */
  user?: string;
  /** SELinux role label. */
  role?: string;
  /** SELinux type label. */
  type?: string;
  /** SELinux level label. */
  level?: string;
}

/** A seccomp profile. */
export interface SeccompProfile {
  /** Localhost, RuntimeDefault or Unconfined. */
  type?: string;
  /** Profile file below the kubelet seccomp directory; only with type Localhost. */
  localhostProfile?: string;
}

/** An AppArmor profile. */
export interface AppArmorProfile {
  /** Localhost, RuntimeDefault or Unconfined. */
  type?: string;
  /** Name of a profile loaded on the node; only with type Localhost. */
  localhostProfile?: string;
}

/** Windows-specific security options. */
export interface WindowsSecurityContextOptions {
  /** Name of the GMSACredentialSpec resource to use. */
  gmsaCredentialSpecName?: string;
  /** Inlined GMSA credential spec content. */
  gmsaCredentialSpec?: string;
  /** Windows user name the entrypoint runs as. */
  runAsUserName?: string;
  /** Run as a Windows HostProcess container. */
  hostProcess?: boolean;
}

/** A kernel parameter to set. */
export interface Sysctl {
  /** Kernel parameter name. */
  name?: string;
  /** Value to set. */
  value?: string;
}

/** A named volume of a pod with exactly one source; an emptyDir when none is given. */
export interface Volume {
  /** Volume name, a DNS-1123 label unique within the pod. */
  name: string;
  /** A file or directory of the node. */
  hostPath?: HostPathVolumeSource;
  /** A scratch directory that lives as long as the pod. */
  emptyDir?: EmptyDirVolumeSource;
  /** Deprecated: a GCE persistent disk. */
  gcePersistentDisk?: GCEPersistentDiskVolumeSource;
  /** Deprecated: an AWS EBS disk. */
  awsElasticBlockStore?: AWSElasticBlockStoreVolumeSource;
  /** Deprecated: a directory with a git repository cloned into it. */
  gitRepo?: GitRepoVolumeSource;
  /** Keys of a Secret as files. */
  secret?: SecretVolumeSource;
  /** An NFS export. */
  nfs?: NFSVolumeSource;
  /** An iSCSI disk. */
  iscsi?: ISCSIVolumeSource;
  /** Deprecated: a GlusterFS volume. */
  glusterfs?: GlusterfsVolumeSource;
  /** The volume bound to a PersistentVolumeClaim of the namespace. */
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  /** Deprecated: a Ceph RBD image. */
  rbd?: RBDVolumeSource;
  /** Deprecated: a volume provided by a FlexVolume driver. */
  flexVolume?: FlexVolumeSource;
  /** Deprecated: an OpenStack Cinder volume. */
  cinder?: CinderVolumeSource;
  /** Deprecated: a CephFS mount. */
  cephfs?: CephFSVolumeSource;
  /** Deprecated: a Flocker dataset. */
  flocker?: FlockerVolumeSource;
  /** Pod fields and container resources as files. */
  downwardAPI?: DownwardAPIVolumeSource;
  /** A Fibre Channel disk. */
  fc?: FCVolumeSource;
  /** Deprecated: an Azure File share. */
  azureFile?: AzureFileVolumeSource;
  /** Keys of a ConfigMap as files. */
  configMap?: ConfigMapVolumeSource;
  /** Deprecated: a vSphere virtual disk. */
  vsphereVolume?: VsphereVirtualDiskVolumeSource;
  /** Deprecated: a Quobyte volume. */
  quobyte?: QuobyteVolumeSource;
  /** Deprecated: an Azure data disk. */
  azureDisk?: AzureDiskVolumeSource;
  /** Deprecated: a Photon Controller disk. */
  photonPersistentDisk?: PhotonPersistentDiskVolumeSource;
  /** Several secret, configMap, downward API and token sources in one directory. */
  projected?: ProjectedVolumeSource;
  /** Deprecated: a Portworx volume. */
  portworxVolume?: PortworxVolumeSource;
  /** Deprecated: a ScaleIO volume. */
  scaleIO?: ScaleIOVolumeSource;
  /** Deprecated: a StorageOS volume. */
  storageos?: StorageOSVolumeSource;
  /** An ephemeral volume provided by a CSI driver. */
  csi?: CSIVolumeSource;
  /** A volume from a PersistentVolumeClaim created for, and deleted with, the pod. */
  ephemeral?: EphemeralVolumeSource;
  /** The content of an OCI image or artifact, read-only (ImageVolume, alpha). */
  image?: ImageVolumeSource;
}

/** A file or directory of the node mounted into the pod. */
export interface HostPathVolumeSource {
  /** Path on the node; a symlink is followed. */
  path: string;
  /** What must exist at the path (or be created); "" checks nothing. */
  type?: '' | 'BlockDevice' | 'CharDevice' | 'Directory' | 'DirectoryOrCreate' | 'File' | 'FileOrCreate' | 'Socket';
}

/** An initially empty directory that lives as long as the pod. */
export interface EmptyDirVolumeSource {
  /** Storage medium: "" for the node default, Memory for tmpfs, or HugePages. */
  medium?: string;
  /** Most local storage the volume may use. */
  sizeLimit?: string;
}

/** The keys of a Secret as files. */
export interface SecretVolumeSource {
  /** Name of the Secret in the namespace. */
  secretName: string;
  /** Keys to project and the relative paths to write them to; all keys when empty. */
  items?: KeyToPath[];
  /** Permission bits (0000-0777, JSON takes decimal) of the created files unless an item sets its own mode. */
  defaultMode?: number;
  /** Start the pod even when the Secret or a listed key is missing. */
  optional?: boolean;
}

/** The keys of a ConfigMap as files. */
export interface ConfigMapVolumeSource {
  /** Name of the ConfigMap in the namespace. */
  name: string;
  /** Keys to project and the relative paths to write them to; all keys when empty. */
  items?: KeyToPath[];
  /** Permission bits (0000-0777, JSON takes decimal) of the created files unless an item sets its own mode. */
  defaultMode?: number;
  /** Start the pod even when the ConfigMap or a listed key is missing. */
  optional?: boolean;
}

/** Maps a key to a file path in the volume. */
export interface KeyToPath {
  /** Key to project. */
  key: string;
  /** Relative file path to write the key to; may not contain "..". */
  path: string;
  /** Permission bits of this file (0000-0777, JSON takes decimal). */
  mode?: number;
}

/** Pod fields and container resources as files. */
export interface DownwardAPIVolumeSource {
  /** Files to create. */
  items?: DownwardAPIVolumeFile[];
  /** Permission bits (0000-0777, JSON takes decimal) of the created files unless an item sets its own mode. */
  defaultMode?: number;
}

/** One file of a downward API volume. */
export interface DownwardAPIVolumeFile {
  /** Relative path of the file to create. */
  path?: string;
  /** Pod field to write: name, namespace, uid, labels or annotations. */
  fieldRef?: ObjectFieldSelector;
  /** Container resource limit or request to write. */
  resourceFieldRef?: ResourceFieldSelector;
  /** Permission bits of this file (0000-0777, JSON takes decimal). */
  mode?: number;
}

/** Several sources projected into one directory. */
export interface ProjectedVolumeSource {
  /** The sources to project. */
  sources?: VolumeProjection[];
  /** Permission bits (0000-0777, JSON takes decimal) of the created files unless an item sets its own mode. */
  defaultMode?: number;
}

/** One source of a projected volume; exactly one field. */
export interface VolumeProjection {
  /** Keys of a Secret. */
  secret?: SecretProjection;
  /** Pod fields and container resources. */
  downwardAPI?: DownwardAPIProjection;
  /** Keys of a ConfigMap. */
  configMap?: ConfigMapProjection;
  /** A token of the pod service account. */
  serviceAccountToken?: ServiceAccountTokenProjection;
  /** Certificates of ClusterTrustBundles (alpha). */
  clusterTrustBundle?: ClusterTrustBundleProjection;
}

/** The keys of a ConfigMap in a projected volume. */
export interface ConfigMapProjection {
  /** Name of the ConfigMap. */
  name: string;
  /** Keys to project and the relative paths to write them to; all keys when empty. */
  items?: KeyToPath[];
  /** Ignore a missing ConfigMap or key. */
  optional?: boolean;
}

/** The keys of a Secret in a projected volume. */
export interface SecretProjection {
  /** Name of the Secret. */
  name: string;
  /** Keys to project and the relative paths to write them to; all keys when empty. */
  items?: KeyToPath[];
  /** Ignore a missing Secret or key. */
  optional?: boolean;
}

/** Pod fields and container resources in a projected volume. */
export interface DownwardAPIProjection {
  /** Files to create. */
  items?: DownwardAPIVolumeFile[];
}

/** A bound service account token written to a file. */
export interface ServiceAccountTokenProjection {
  /** Intended audience of the token; the API server when empty. */
  audience?: string;
  /** Requested lifetime of the token, at least 600; the kubelet rotates it before it expires. */
  expirationSeconds?: number;
  /** Relative path of the token file. */
  path?: string;
}

/** Certificates from ClusterTrustBundles written to one file. */
export interface ClusterTrustBundleProjection {
  /** A ClusterTrustBundle by name; not with signerName. */
  name?: string;
  /** All ClusterTrustBundles of this signer (filtered by labelSelector). */
  signerName?: string;
  /** Selects the bundles of signerName to include. */
  labelSelector?: LabelSelector;
  /** Write nothing rather than fail when no bundle is found. */
  optional?: boolean;
  /** Relative path of the file to write. */
  path?: string;
}

/** The volume bound to a PersistentVolumeClaim. */
export interface PersistentVolumeClaimVolumeSource {
  /** Name of a PersistentVolumeClaim in the namespace. */
  claimName: string;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** An NFS export. */
export interface NFSVolumeSource {
  /** Host name or IP of the NFS server. */
  server: string;
  /** Absolute path exported by the server. */
  path: string;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** A generic ephemeral volume: a PVC created with the pod and deleted with it. */
export interface EphemeralVolumeSource {
  /** Template of the PVC created as <pod name>-<volume name>. */
  volumeClaimTemplate: PersistentVolumeClaimTemplate;
}

/** An OCI image or artifact mounted read-only. */
export interface ImageVolumeSource {
  /** Image or artifact reference to mount. */
  reference: string;
  /** When the reference is pulled; like a container imagePullPolicy. */
  pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** Scheduling affinity rules. */
export interface Affinity {
  /** Rules on the labels of the node. */
  nodeAffinity?: NodeAffinity;
  /** Rules to run near pods matching a selector. */
  podAffinity?: PodAffinity;
  /** Rules to run away from pods matching a selector. */
  podAntiAffinity?: PodAntiAffinity;
}

/** Node affinity rules. */
export interface NodeAffinity {
  /** Node terms, one of which a node must match. */
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  /** Weighted node terms the scheduler prefers. */
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** A set of node selector terms, at least one of which must match. */
export interface NodeSelector {
  /** Terms that are ORed. */
  nodeSelectorTerms?: NodeSelectorTerm[];
}

/** Requirements a node must all meet; an empty term matches nothing. */
export interface NodeSelectorTerm {
  /** Requirements on node labels; ANDed. */
  matchExpressions?: NodeSelectorRequirement[];
  /** Requirements on node fields (metadata.name); ANDed. */
  matchFields?: NodeSelectorRequirement[];
}

/** A requirement on a node label or field. */
export interface NodeSelectorRequirement {
  /** Label key (or field name) the requirement is on. */
  key?: string;
  /** In, NotIn, Exists, DoesNotExist, Gt or Lt. */
  operator?: string;
  /** Values: several for In/NotIn, none for Exists/DoesNotExist, one integer for Gt/Lt. */
  values?: string[];
}

/** A node term the scheduler prefers, with a weight. */
export interface PreferredSchedulingTerm {
  /** Weight from 1 to 100 added to matching nodes. */
  weight?: number;
  /** The node term. */
  preference?: NodeSelectorTerm;
}

/** Rules to co-locate the pod with other pods. */
export interface PodAffinity {
  /** Terms that must all hold. */
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  /** Weighted terms the scheduler prefers. */
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/** Rules to keep the pod away from other pods. */
export interface PodAntiAffinity {
  /** Terms that must all hold. */
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  /** Weighted terms the scheduler prefers. */
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/** Pods (by selector and namespaces) the pod must, or must not, share a topology domain with. */
export interface PodAffinityTerm {
  /** Selects the pods the term is about. */
  labelSelector?: LabelSelector;
  /** Namespaces of those pods; the pod's own when empty (and no namespaceSelector). */
  namespaces?: string[];
  /** Node label whose value defines the topology domain, e.g. kubernetes.io/hostname. */
  topologyKey?: string;
  /** Selects namespaces of those pods, added to namespaces. */
  namespaceSelector?: LabelSelector;
  /** Label keys whose values are taken from the incoming pod and added to the selector with In. */
  matchLabelKeys?: string[];
  /** Label keys whose values are taken from the incoming pod and added to the selector with NotIn. */
  mismatchLabelKeys?: string[];
}

/** A preferred pod affinity term with a weight. */
export interface WeightedPodAffinityTerm {
  /** Weight from 1 to 100. */
  weight?: number;
  /** The term. */
  podAffinityTerm?: PodAffinityTerm;
}

/** Lets the pod be scheduled onto (or stay on) nodes with a matching taint. */
export interface Toleration {
  /** Taint key tolerated; with operator Exists, empty means all taints. */
  key?: string;
  /** Equal (the default) or Exists. */
  operator?: string;
  /** Taint value to match with Equal; empty with Exists. */
  value?: string;
  /** Taint effect tolerated: NoSchedule, PreferNoSchedule or NoExecute; all when empty. */
  effect?: string;
  /** With NoExecute: seconds the pod stays bound after the taint appears. */
  tolerationSeconds?: number;
}

/** How matching pods are spread across topology domains. */
export interface TopologySpreadConstraint {
  /** Largest allowed difference in matching pods between two domains; greater than zero. */
  maxSkew?: number;
  /** Node label whose values are the topology domains. */
  topologyKey?: string;
  /** What to do when the constraint cannot be met. */
  whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
  /** Pods counted in each domain. */
  labelSelector?: LabelSelector;
  /** Fewest eligible domains; fewer count as having zero pods (needs DoNotSchedule). */
  minDomains?: number;
  /** Whether the pod's node affinity limits the nodes counted. */
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  /** Whether node taints limit the nodes counted. */
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  /** Label keys whose values from the incoming pod narrow the selector. */
  matchLabelKeys?: string[];
}

/** An /etc/hosts entry. */
export interface HostAlias {
  /** IP address of the entry. */
  ip?: string;
  /** Host names for the IP. */
  hostnames?: string[];
}

/** DNS settings merged into those from the DNS policy. */
export interface PodDNSConfig {
  /** DNS server IPs (at most 3 in all). */
  nameservers?: string[];
  /** DNS search domains. */
  searches?: string[];
  /** Resolver options. */
  options?: PodDNSConfigOption[];
}

/** A resolver option. */
export interface PodDNSConfigOption {
  /** Option name. */
  name?: string;
  /** Option value. */
  value?: string;
}

/** An extra pod condition needed for readiness. */
export interface PodReadinessGate {
  /** Pod condition type that must be True. */
  conditionType?: string;
}

/** A gate that blocks scheduling until removed. */
export interface PodSchedulingGate {
  /** Gate name, a qualified name. */
  name?: string;
}

/** Operating system of the pod. */
export interface PodOS {
  /** linux or windows. */
  name?: string;
}

/** A dynamic resource claim of the pod; exactly one source. */
export interface PodResourceClaim {
  /** Name of the entry, used by containers to refer to it. */
  name?: string;
  /** An existing ResourceClaim in the namespace. */
  resourceClaimName?: string;
  /** A ResourceClaimTemplate from which a claim is created for the pod. */
  resourceClaimTemplateName?: string;
}

/** Observed state of a pod. */
export interface PodStatus {
  /** Pending, Running, Succeeded, Failed or Unknown. */
  phase?: string;
  /** Current conditions such as PodScheduled, Initialized, ContainersReady and Ready. */
  conditions?: PodCondition[];
  /** Human-readable detail of the current state. */
  message?: string;
  /** CamelCase reason of the current state, e.g. Evicted. */
  reason?: string;
  /** Node the pod may run on once preemption there completes. */
  nominatedNodeName?: string;
  /** Primary IP of the node the pod runs on. */
  hostIP?: string;
  /** IPs of the node, at most one per family; the first is hostIP. */
  hostIPs?: HostIP[];
  /** Primary IP of the pod. */
  podIP?: string;
  /** IPs of the pod, at most one per family; the first is podIP. */
  podIPs?: PodIP[];
  /** When the kubelet accepted the pod. */
  startTime?: string;
  /** Status of each init container. */
  initContainerStatuses?: ContainerStatus[];
  /** Status of each app container. */
  containerStatuses?: ContainerStatus[];
  /** Guaranteed, Burstable or BestEffort, derived from the resources. */
  qosClass?: string;
  /** Status of each ephemeral container. */
  ephemeralContainerStatuses?: ContainerStatus[];
  /** State of an in-place resize: Proposed, InProgress, Deferred or Infeasible. */
  resize?: string;
  /** Names of the ResourceClaims generated for the pod. */
  resourceClaimStatuses?: PodResourceClaimStatus[];
}

/** A condition of a pod. */
export interface PodCondition {
  /** Condition type, e.g. Ready. */
  type?: string;
  /** True, False or Unknown. */
  status?: string;
  /** When the condition was last checked. */
  lastProbeTime?: string;
  /** When the status last changed. */
  lastTransitionTime?: string;
  /** CamelCase reason of the last transition. */
  reason?: string;
  /** Human-readable detail of the last transition. */
  message?: string;
}

/** One IP of a pod. */
export interface PodIP {
  /** An IP address of the pod. */
  ip?: string;
}

/** One IP of the node a pod runs on. */
export interface HostIP {
  /** An IP address of the node. */
  ip?: string;
}

/** The ResourceClaim generated for a pod resource claim. */
export interface PodResourceClaimStatus {
  /** Name of the spec.resourceClaims entry. */
  name?: string;
  /** Name of the ResourceClaim generated for it. */
  resourceClaimName?: string;
}

/** Observed state of one container. */
export interface ContainerStatus {
  /** Name of the container. */
  name?: string;
  /** Current state. */
  state?: ContainerState;
  /** State of the previous run, typically why it terminated. */
  lastState?: ContainerState;
  /** Whether the readiness probe currently succeeds. */
  ready?: boolean;
  /** Times the container has been restarted. */
  restartCount?: number;
  /** Image the container runs. */
  image?: string;
  /** ID of that image. */
  imageID?: string;
  /** Runtime ID as <type>://<id>. */
  containerID?: string;
  /** Whether the startup probe has succeeded (true without one once running). */
  started?: boolean;
  /** Resources the node allocated to the container. */
  allocatedResources?: Record<string, string>;
  /** Resources the running container is actually configured with. */
  resources?: ResourceRequirements;
  /** Mounts as actually done. */
  volumeMounts?: VolumeMountStatus[];
  /** Identity the first process runs as. */
  user?: ContainerUser;
  /** Health of the resources allocated to the container. */
  allocatedResourcesStatus?: ResourceStatus[];
}

/** State of a container; at most one member is set (waiting when none). */
export interface ContainerState {
  /** Details when the container is waiting. */
  waiting?: ContainerStateWaiting;
  /** Details when the container is running. */
  running?: ContainerStateRunning;
  /** Details when the container has terminated. */
  terminated?: ContainerStateTerminated;
}

/** A container that is not running yet. */
export interface ContainerStateWaiting {
  /** Why it is waiting, e.g. ContainerCreating or CrashLoopBackOff. */
  reason?: string;
  /** Human-readable detail. */
  message?: string;
}

/** A running container. */
export interface ContainerStateRunning {
  /** When the container last started. */
  startedAt?: string;
}

/** A container that has terminated. */
export interface ContainerStateTerminated {
  /** Exit status of the last run. */
  exitCode?: number;
  /** Signal that ended the last run, if any. */
  signal?: number;
  /** Why it terminated, e.g. Completed or OOMKilled. */
  reason?: string;
  /** Human-readable detail. */
  message?: string;
  /** When the last run started. */
  startedAt?: string;
  /** When the last run ended. */
  finishedAt?: string;
  /** Runtime ID of the terminated container. */
  containerID?: string;
}

/** How a volume was actually mounted. */
export interface VolumeMountStatus {
  /** Volume name of the mount. */
  name?: string;
  /** Path of the mount. */
  mountPath?: string;
  /** Whether the mount is read-only. */
  readOnly?: boolean;
  /** Disabled or Enabled: whether the read-only mount is recursive. */
  recursiveReadOnly?: string;
}

/** Identity of the first process of a container. */
export interface ContainerUser {
  /** The Linux identity. */
  linux?: LinuxContainerUser;
}

/** A Linux user identity. */
export interface LinuxContainerUser {
  /** User ID. */
  uid?: number;
  /** Primary group ID. */
  gid?: number;
  /** Supplemental group IDs. */
  supplementalGroups?: number[];
}

/** Health of one allocated resource. */
export interface ResourceStatus {
  /** Resource name, e.g. a claim:<name>/<request> or a device plugin resource. */
  name?: string;
  /** Health of each allocated device. */
  resources?: ResourceHealth[];
}

/** Health of one device. */
export interface ResourceHealth {
  /** ID of the device. */
  resourceID?: string;
  /** Healthy, Unhealthy or Unknown. */
  health?: string;
}

/** A reference to an object, possibly in another namespace. */
export interface ObjectReference {
  /** Kind of the referent. */
  kind?: string;
  /** Namespace of the referent. */
  namespace?: string;
  /** Name of the referent. */
  name?: string;
  /** UID of the referent. */
  uid?: string;
  /** API version of the referent. */
  apiVersion?: string;
  /** Resource version of the referent the reference was made from. */
  resourceVersion?: string;
  /** Part of the referent meant, e.g. spec.containers{name}. */
  fieldPath?: string;
}

/** A reference to an object in the same namespace. */
export interface LocalObjectReference {
  /** Name of the referent in the same namespace. */
  name?: string;
}

/** A reference to an object of a given kind in the same namespace. */
export interface TypedLocalObjectReference {
  /** API group of the referent; the core group when empty. */
  apiGroup?: string;
  /** Kind of the referent. */
  kind?: string;
  /** Name of the referent. */
  name?: string;
}

/** Deprecated: an emptyDir with a git repository cloned into it. */
export interface GitRepoVolumeSource {
  /** URL of the repository. */
  repository: string;
  /** Commit hash to check out. */
  revision?: string;
  /** Target directory name; "." clones into the volume root. */
  directory?: string;
}

/** An iSCSI disk. */
export interface ISCSIVolumeSource {
  /** Target portal as IP or IP:port (port 3260 by default). */
  targetPortal: string;
  /** iSCSI qualified name of the target. */
  iqn: string;
  /** Logical unit number (0-255). */
  lun?: number;
  /** iSCSI interface name using the transport. */
  iscsiInterface?: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Additional target portals. */
  portals?: string[];
  /** Use CHAP authentication for discovery. */
  chapAuthDiscovery?: boolean;
  /** Use CHAP authentication for the session. */
  chapAuthSession?: boolean;
  /** Secret with the CHAP credentials. */
  secretRef?: LocalObjectReference;
  /** Custom initiator name; a new interface <portal>:<volume name> is created. */
  initiatorName?: string;
}

/** Deprecated: a Glusterfs volume. */
export interface GlusterfsVolumeSource {
  /** Endpoints object listing the Glusterfs servers. */
  endpoints: string;
  /** Glusterfs volume path. */
  path: string;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Deprecated: a Ceph RBD image. */
export interface RBDVolumeSource {
  /** Ceph monitor addresses. */
  monitors: string[];
  /** RBD image name. */
  image: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** RADOS pool name. */
  pool?: string;
  /** RADOS user name. */
  user?: string;
  /** Path of the keyring file. */
  keyring?: string;
  /** Secret with the RADOS user key, instead of the keyring. */
  secretRef?: LocalObjectReference;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Deprecated: a volume attached by a FlexVolume driver. */
export interface FlexVolumeSource {
  /** Name of the FlexVolume driver. */
  driver: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Secret passed to the driver. */
  secretRef?: LocalObjectReference;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Extra options passed to the driver. */
  options?: Record<string, string>;
}

/** Deprecated: an OpenStack Cinder volume. */
export interface CinderVolumeSource {
  /** Cinder volume ID. */
  volumeID: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Secret with the OpenStack connection parameters. */
  secretRef?: LocalObjectReference;
}

/** Deprecated: a CephFS mount. */
export interface CephFSVolumeSource {
  /** Ceph monitor addresses. */
  monitors: string[];
  /** Path inside the filesystem to mount; / by default. */
  path?: string;
  /** RADOS user name; admin by default. */
  user?: string;
  /** Path of the keyring file; /etc/ceph/user.secret by default. */
  secretFile?: string;
  /** Secret with the user key, instead of secretFile. */
  secretRef?: LocalObjectReference;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Deprecated: an Azure File share. */
export interface AzureFileVolumeSource {
  /** Secret with the storage account name and key. */
  secretName: string;
  /** Name of the share. */
  shareName: string;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Deprecated: a ScaleIO volume. */
export interface ScaleIOVolumeSource {
  /** Host address of the ScaleIO API gateway. */
  gateway: string;
  /** Name of the storage system. */
  system: string;
  /** Secret with the ScaleIO user credentials. */
  secretRef?: LocalObjectReference;
  /** Use SSL to talk to the gateway. */
  sslEnabled?: boolean;
  /** Protection domain of the storage. */
  protectionDomain?: string;
  /** Storage pool of the protection domain. */
  storagePool?: string;
  /** ThickProvisioned or ThinProvisioned. */
  storageMode?: string;
  /** Name of a volume already created in the system. */
  volumeName: string;
  /** Filesystem type to mount. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Deprecated: a StorageOS volume. */
export interface StorageOSVolumeSource {
  /** Name of the StorageOS volume, unique within its namespace. */
  volumeName: string;
  /** StorageOS namespace of the volume; the pod's namespace when empty. */
  volumeNamespace?: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Secret with the StorageOS API credentials. */
  secretRef?: LocalObjectReference;
}

/** An inline ephemeral volume provided by a CSI driver. */
export interface CSIVolumeSource {
  /** Name of the CSI driver. */
  driver?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Filesystem type passed to the driver. */
  fsType?: string;
  /** Driver-specific properties of the volume. */
  volumeAttributes?: Record<string, string>;
  /** Secret passed to the driver on NodePublishVolume. */
  nodePublishSecretRef?: LocalObjectReference;
}

/** A scope for names: most objects live in exactly one namespace. */
export interface Namespace {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** What the namespace should look like (its finalizers). */
  spec?: NamespaceSpec;
  /** Observed lifecycle phase and conditions of the namespace. */
  status?: NamespaceStatus;
}

/** A list of Namespace objects. */
export interface NamespaceList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Namespace objects. */
  items: Namespace[];
}

/** Desired state of a namespace. */
export interface NamespaceSpec {
  /** Finalizers that must be cleared (through the finalize subresource) before the namespace is removed. */
  finalizers?: string[];
}

/** Observed state of a namespace. */
export interface NamespaceStatus {
  /** Lifecycle phase: Active, or Terminating once deletion started. */
  phase?: 'Active' | 'Terminating';
  /** Latest observations of the namespace state, such as deletion failures. */
  conditions?: NamespaceCondition[];
}

/** One observation about a namespace. */
export interface NamespaceCondition {
  /** Condition type, e.g. NamespaceDeletionContentFailure or NamespaceContentRemaining. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: string;
  /** When the condition last changed status. */
  lastTransitionTime?: string;
  /** Machine-readable CamelCase reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** A worker machine that runs pods; each node has a unique name in the cluster. */
export interface Node {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** How the node should be configured (pod CIDRs, taints, schedulability). */
  spec?: NodeSpec;
  /** The most recently observed state of the node, reported by its kubelet. */
  status?: NodeStatus;
}

/** A list of Node objects. */
export interface NodeList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Node objects. */
  items: Node[];
}

/** Desired configuration of a node. */
export interface NodeSpec {
  /** Pod IP range assigned to the node (the first entry of podCIDRs). */
  podCIDR?: string;
  /** Pod IP ranges assigned to the node, at most one per IP family. */
  podCIDRs?: string[];
  /** Identifier of the node in the cloud provider, <ProviderName>://<ProviderSpecificNodeID>. */
  providerID?: string;
  /** When true, the scheduler places no new pods on the node (cordon). */
  unschedulable?: boolean;
  /** Taints that repel pods which do not tolerate them. */
  taints?: Taint[];
  /** Deprecated dynamic kubelet configuration source; no longer used. */
  configSource?: NodeConfigSource;
  /** Deprecated external identifier; ignored. */
  externalID?: string;
}

/** A mark on a node that keeps pods away unless they tolerate it. */
export interface Taint {
  /** Taint key (a qualified name). */
  key?: string;
  /** Taint value (a label value). */
  value?: string;
  /** What happens to pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute. */
  effect?: string;
  /** When the taint was added; only set for NoExecute taints. */
  timeAdded?: string;
}

/** Deprecated: where a node would take its kubelet configuration from; exactly one source is set. */
export interface NodeConfigSource {
  /** ConfigMap holding the kubelet configuration. */
  configMap?: ConfigMapNodeConfigSource;
}

/** Deprecated: reference to a ConfigMap used as a node config source. */
export interface ConfigMapNodeConfigSource {
  /** Namespace of the ConfigMap. */
  namespace?: string;
  /** Name of the ConfigMap. */
  name?: string;
  /** UID of the ConfigMap; only reported in status. */
  uid?: string;
  /** ResourceVersion of the ConfigMap; only reported in status. */
  resourceVersion?: string;
  /** Key of the ConfigMap entry holding the KubeletConfiguration. */
  kubeletConfigKey?: string;
}

/** Observed state of a node. */
export interface NodeStatus {
  /** Total resources of the node. */
  capacity?: Record<string, string>;
  /** Resources of the node available to pods (capacity minus reservations). */
  allocatable?: Record<string, string>;
  /** Deprecated lifecycle phase of the node. */
  phase?: 'Pending' | 'Running' | 'Terminated';
  /** Current health observations, e.g. Ready, MemoryPressure, DiskPressure. */
  conditions?: NodeCondition[];
  /** Addresses through which the node is reachable. */
  addresses?: NodeAddress[];
  /** Ports of the daemons (the kubelet) running on the node. */
  daemonEndpoints?: NodeDaemonEndpoints;
  /** Identifiers and versions of the machine and its software. */
  nodeInfo?: NodeSystemInfo;
  /** Container images present on the node. */
  images?: ContainerImage[];
  /** Volumes attached and mounted on the node. */
  volumesInUse?: string[];
  /** Volumes attached to the node. */
  volumesAttached?: AttachedVolume[];
  /** Deprecated status of the dynamic kubelet configuration. */
  config?: NodeConfigStatus;
  /** Runtime handlers the container runtime offers. */
  runtimeHandlers?: NodeRuntimeHandler[];
  /** Optional features the node implements. */
  features?: NodeFeatures;
}

/** One observation about a node. */
export interface NodeCondition {
  /** Condition type, e.g. Ready or DiskPressure. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: string;
  /** When the condition was last reported. */
  lastHeartbeatTime?: string;
  /** When the condition last changed status. */
  lastTransitionTime?: string;
  /** Machine-readable CamelCase reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** One address of a node. */
export interface NodeAddress {
  /** Address type: Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS. */
  type?: string;
  /** The address itself. */
  address?: string;
}

/** Ports opened by daemons on the node. */
export interface NodeDaemonEndpoints {
  /** Where the kubelet listens. */
  kubeletEndpoint?: DaemonEndpoint;
}

/** A port on which a node daemon listens. */
export interface DaemonEndpoint {
  /** Port number (the field name is capitalized for historical reasons). */
  Port?: number;
}

/** Identifiers and versions describing the node. */
export interface NodeSystemInfo {
  /** Machine id reported by the node (/etc/machine-id). */
  machineID?: string;
  /** System UUID reported by the node. */
  systemUUID?: string;
  /** Boot id reported by the node. */
  bootID?: string;
  /** Kernel version (uname -r). */
  kernelVersion?: string;
  /** Operating system image (from /etc/os-release). */
  osImage?: string;
  /** Container runtime version, <runtime>://<version>. */
  containerRuntimeVersion?: string;
  /** Kubelet version. */
  kubeletVersion?: string;
  /** Deprecated kube-proxy version; not reliable. */
  kubeProxyVersion?: string;
  /** Operating system the node runs, e.g. linux. */
  operatingSystem?: string;
  /** CPU architecture, e.g. amd64. */
  architecture?: string;
}

/** A container image stored on the node. */
export interface ContainerImage {
  /** Names (tags and digests) the image is known by. */
  names?: string[];
  /** Size of the image in bytes. */
  sizeBytes?: number;
}

/** A volume attached to a node. */
export interface AttachedVolume {
  /** Unique name of the attached volume. */
  name?: string;
  /** Where the volume should be available on the node. */
  devicePath?: string;
}

/** Deprecated status of the dynamic kubelet configuration. */
export interface NodeConfigStatus {
  /** Config the node will try to use. */
  assigned?: NodeConfigSource;
  /** Config the node is actively using. */
  active?: NodeConfigSource;
  /** Config the node falls back to when the assigned one fails. */
  lastKnownGood?: NodeConfigSource;
  /** Any error reconciling the config. */
  error?: string;
}

/** A runtime handler offered by the container runtime. */
export interface NodeRuntimeHandler {
  /** Runtime handler name; empty for the default handler. */
  name?: string;
  /** Features the handler supports. */
  features?: NodeRuntimeHandlerFeatures;
}

/** Features of a runtime handler. */
export interface NodeRuntimeHandlerFeatures {
  /** Whether the handler supports recursive read-only mounts. */
  recursiveReadOnlyMounts?: boolean;
  /** Whether the handler supports user namespaces. */
  userNamespaces?: boolean;
}

/** Optional features a node implements. */
export interface NodeFeatures {
  /** Whether the node honors pod supplementalGroupsPolicy. */
  supplementalGroupsPolicy?: boolean;
}

/** A named network endpoint that load-balances to the pods its selector picks. */
export interface Service {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** How the service is exposed: ports, selector, type and addressing. */
  spec?: ServiceSpec;
  /** Observed state of the service, such as its load balancer. */
  status?: ServiceStatus;
}

/** A list of Service objects. */
export interface ServiceList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Service objects. */
  items: Service[];
}

/** Desired behavior of a service. */
export interface ServiceSpec {
  /** Ports the service exposes. */
  ports?: ServicePort[];
  /** Pods with all of these labels receive the traffic; absent means endpoints are managed externally. */
  selector?: Record<string, string>;
  /** Virtual IP of the service (or None for a headless service); allocated when empty and fixed afterwards. */
  clusterIP?: string;
  /** Virtual IPs of the service, one per IP family; the first equals clusterIP. */
  clusterIPs?: string[];
  /** How the service is exposed. */
  type?: 'ClusterIP' | 'ExternalName' | 'LoadBalancer' | 'NodePort';
  /** Extra IPs on which cluster nodes accept traffic for this service. */
  externalIPs?: string[];
  /** Whether connections from one client stick to one endpoint. */
  sessionAffinity?: 'ClientIP' | 'None';
  /** Deprecated: requested IP for a LoadBalancer service, if the provider supports it. */
  loadBalancerIP?: string;
  /** Client CIDRs allowed through a LoadBalancer service. */
  loadBalancerSourceRanges?: string[];
  /** DNS name an ExternalName service aliases (returned as a CNAME). */
  externalName?: string;
  /** Whether external traffic may be routed to endpoints on other nodes. */
  externalTrafficPolicy?: 'Cluster' | 'Local';
  /** Node port serving health checks for LoadBalancer services with Local external traffic policy. */
  healthCheckNodePort?: number;
  /** Publish endpoints for pods that are not ready (useful for peer discovery). */
  publishNotReadyAddresses?: boolean;
  /** Settings of the session affinity. */
  sessionAffinityConfig?: SessionAffinityConfig;
  /** IP families of the service, in the order of clusterIPs. */
  ipFamilies?: ('IPv4' | 'IPv6')[];
  /** Whether the service gets one or two IP families. */
  ipFamilyPolicy?: 'PreferDualStack' | 'RequireDualStack' | 'SingleStack';
  /** Whether a LoadBalancer service gets node ports allocated. */
  allocateLoadBalancerNodePorts?: boolean;
  /** Load balancer implementation that should handle this LoadBalancer service; fixed once set. */
  loadBalancerClass?: string;
  /** Whether in-cluster traffic may be routed to endpoints on other nodes. */
  internalTrafficPolicy?: 'Cluster' | 'Local';
  /** Preference for how traffic is spread over endpoints; PreferClose favors topologically close ones. */
  trafficDistribution?: string;
}

/** One port exposed by a service. */
export interface ServicePort {
  /** Name of the port; required and unique when the service has several ports. */
  name?: string;
  /** IP protocol of the port. */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /** Application protocol of the port, e.g. http or a prefixed custom name. */
  appProtocol?: string;
  /** Port the service listens on. */
  port?: number;
  /** Port number or named container port on the pods; defaults to port. */
  targetPort?: number | string;
  /** Port on every node for NodePort and LoadBalancer services; allocated when unset. */
  nodePort?: number;
}

/** Settings of a session affinity. */
export interface SessionAffinityConfig {
  /** Settings of ClientIP affinity. */
  clientIP?: ClientIPConfig;
}

/** Settings of ClientIP session affinity. */
export interface ClientIPConfig {
  /** How long a client sticks to an endpoint, 1..86400 seconds (default 10800). */
  timeoutSeconds?: number;
}

/** Observed state of a service. */
export interface ServiceStatus {
  /** State of the load balancer, if any. */
  loadBalancer?: LoadBalancerStatus;
  /** Current observations of the service state. */
  conditions?: Condition[];
}

/** State of a load balancer. */
export interface LoadBalancerStatus {
  /** Ingress points of the load balancer. */
  ingress?: LoadBalancerIngress[];
}

/** An ingress point of a load balancer. */
export interface LoadBalancerIngress {
  /** IP of the ingress point. */
  ip?: string;
  /** DNS name of the ingress point. */
  hostname?: string;
  /** How traffic to the ip reaches nodes: VIP (destination kept) or Proxy (rewritten). */
  ipMode?: 'Proxy' | 'VIP';
  /** State of each service port on this ingress point. */
  ports?: PortStatus[];
}

/** State of one service port on a load balancer. */
export interface PortStatus {
  /** Port number of the service port. */
  port?: number;
  /** Protocol of the service port. */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /** Problem with this port, as a CamelCase reason (optionally domain-prefixed, at most 316 characters), if any. */
  error?: string;
}

/** The network endpoints implementing a service, grouped by the ports they serve. */
export interface Endpoints {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Groups of addresses that all serve the same ports. */
  subsets?: EndpointSubset[];
}

/** A list of Endpoints objects. */
export interface EndpointsList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Endpoints objects. */
  items: Endpoints[];
}

/** A set of addresses sharing a set of ports. */
export interface EndpointSubset {
  /** Ready addresses serving the ports. */
  addresses?: EndpointAddress[];
  /** Addresses not (yet) ready to serve the ports. */
  notReadyAddresses?: EndpointAddress[];
  /** Ports served by every address of the subset. */
  ports?: EndpointPort[];
}

/** One endpoint address. */
export interface EndpointAddress {
  /** IP address of the endpoint. */
  ip?: string;
  /** Hostname of the endpoint (a DNS label). */
  hostname?: string;
  /** Node hosting the endpoint. */
  nodeName?: string;
  /** Object providing the endpoint, usually a pod. */
  targetRef?: ObjectReference;
}

/** One port of an endpoint subset. */
export interface EndpointPort {
  /** Name of the port, matching the service port name; required when a subset has several ports. */
  name?: string;
  /** Port number. */
  port?: number;
  /** IP protocol of the port. */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /** Application protocol of the port. */
  appProtocol?: string;
}

/** Configuration data for pods to consume, as UTF-8 strings or binary values. */
export interface ConfigMap {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** When true, data and binaryData can no longer change (and this cannot be unset); only deletion is possible. */
  immutable?: boolean;
  /** UTF-8 configuration values by key. */
  data?: Record<string, string>;
  /** Binary configuration values (base64 in JSON) by key; keys may not repeat those of data. */
  binaryData?: Record<string, string>;
}

/** A list of ConfigMap objects. */
export interface ConfigMapList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ConfigMap objects. */
  items: ConfigMap[];
}

/** Holds a small amount of sensitive data, such as a password, token or key. */
export interface Secret {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** When true, data can no longer change (and this cannot be unset); only deletion is possible. */
  immutable?: boolean;
  /** Secret values by key, base64-encoded in JSON. */
  data?: Record<string, string>;
  /** Write-only convenience input: plain-text values merged into data (winning over it) when written. */
  stringData?: Record<string, string>;
  /** How the data is to be interpreted, e.g. Opaque or kubernetes.io/tls; fixed after creation. */
  type?: string;
}

/** A list of Secret objects. */
export interface SecretList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Secret objects. */
  items: Secret[];
}

/** An identity for pods, which the API server authenticates with tokens. */
export interface ServiceAccount {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Deprecated: secrets in the same namespace that pods of this account may use. */
  secrets?: ObjectReference[];
  /** Image pull secrets added to every pod that uses this account. */
  imagePullSecrets?: LocalObjectReference[];
  /** Whether pods of this account get an API token mounted by default; a pod may override it. */
  automountServiceAccountToken?: boolean;
}

/** A list of ServiceAccount objects. */
export interface ServiceAccountList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ServiceAccount objects. */
  items: ServiceAccount[];
}

/** A report of an occurrence concerning an object, kept for a limited time. */
export interface Event {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The object the event is about. */
  involvedObject?: ObjectReference;
  /** Short machine-readable CamelCase reason for the event. */
  reason?: string;
  /** Human-readable description of the event. */
  message?: string;
  /** Component (and host) reporting the event. */
  source?: EventSource;
  /** When the event was first recorded. */
  firstTimestamp?: string;
  /** When the most recent occurrence was recorded. */
  lastTimestamp?: string;
  /** How many times the event occurred. */
  count?: number;
  /** Event type: Normal or Warning (new types may be added). */
  type?: string;
  /** When the event was first observed, with microsecond precision (MicroTime). */
  eventTime?: string;
  /** Data about a series of repeated occurrences, if the event is part of one. */
  series?: EventSeries;
  /** What action was taken or failed regarding the object. */
  action?: string;
  /** A second object involved, for more complex actions. */
  related?: ObjectReference;
  /** Controller that emitted the event, e.g. kubernetes.io/kubelet. */
  reportingComponent?: string;
  /** Identifier of the emitting controller instance, e.g. kubelet-xyzf. */
  reportingInstance?: string;
}

/** A list of Event objects. */
export interface EventList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Event objects. */
  items: Event[];
}

/** Where an event comes from. */
export interface EventSource {
  /** Component that generated the event. */
  component?: string;
  /** Node the event was generated on. */
  host?: string;
}

/** A series of occurrences of one event. */
export interface EventSeries {
  /** Number of occurrences in the series up to lastObservedTime. */
  count?: number;
  /** When the last occurrence was observed (MicroTime). */
  lastObservedTime?: string;
}

/** A piece of storage in the cluster, provisioned by an administrator or a storage class. */
export interface PersistentVolume {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The storage offered and how it may be used. */
  spec?: PersistentVolumeSpec;
  /** Current phase of the volume. */
  status?: PersistentVolumeStatus;
}

/** A list of PersistentVolume objects. */
export interface PersistentVolumeList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The PersistentVolume objects. */
  items: PersistentVolume[];
}

/** Specification of a persistent volume. */
export interface PersistentVolumeSpec {
  /** Size of the volume; only the storage resource is allowed. */
  capacity?: Record<string, string>;
  /** Deprecated: a GCE persistent disk. */
  gcePersistentDisk?: GCEPersistentDiskVolumeSource;
  /** Deprecated: an AWS EBS volume. */
  awsElasticBlockStore?: AWSElasticBlockStoreVolumeSource;
  /** A directory on the host; for single-node development and testing only. */
  hostPath?: HostPathVolumeSource;
  /** Deprecated: a Glusterfs volume. */
  glusterfs?: GlusterfsPersistentVolumeSource;
  /** An NFS export. */
  nfs?: NFSVolumeSource;
  /** Deprecated: a Rados block device. */
  rbd?: RBDPersistentVolumeSource;
  /** An iSCSI disk. */
  iscsi?: ISCSIPersistentVolumeSource;
  /** Deprecated: an OpenStack Cinder volume. */
  cinder?: CinderPersistentVolumeSource;
  /** Deprecated: a CephFS mount. */
  cephfs?: CephFSPersistentVolumeSource;
  /** A Fibre Channel disk. */
  fc?: FCVolumeSource;
  /** Deprecated: a Flocker dataset. */
  flocker?: FlockerVolumeSource;
  /** Deprecated: a volume handled by an exec-based plugin. */
  flexVolume?: FlexPersistentVolumeSource;
  /** Deprecated: an Azure File share. */
  azureFile?: AzureFilePersistentVolumeSource;
  /** Deprecated: a vSphere virtual disk. */
  vsphereVolume?: VsphereVirtualDiskVolumeSource;
  /** Deprecated: a Quobyte volume. */
  quobyte?: QuobyteVolumeSource;
  /** Deprecated: an Azure data disk. */
  azureDisk?: AzureDiskVolumeSource;
  /** Deprecated: a Photon Controller disk. */
  photonPersistentDisk?: PhotonPersistentDiskVolumeSource;
  /** Deprecated: a Portworx volume. */
  portworxVolume?: PortworxVolumeSource;
  /** Deprecated: a ScaleIO volume. */
  scaleIO?: ScaleIOPersistentVolumeSource;
  /** A disk, partition or directory attached to one node; requires nodeAffinity. */
  local?: LocalVolumeSource;
  /** Deprecated: a StorageOS volume. */
  storageos?: StorageOSPersistentVolumeSource;
  /** A volume handled by an external CSI driver. */
  csi?: CSIPersistentVolumeSource;
  /** Ways the volume can be mounted. Values: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod. */
  accessModes?: string[];
  /** The claim bound to this volume (set when bound, or to pre-bind it). */
  claimRef?: ObjectReference;
  /** What happens to the volume once its claim is released. */
  persistentVolumeReclaimPolicy?: 'Delete' | 'Recycle' | 'Retain';
  /** StorageClass the volume belongs to; empty for none. */
  storageClassName?: string;
  /** Mount options, passed through unchecked. */
  mountOptions?: string[];
  /** Whether the volume is formatted with a filesystem or used as a raw block device. */
  volumeMode?: 'Block' | 'Filesystem';
  /** Nodes the volume can be reached from; influences scheduling of pods using it. */
  nodeAffinity?: VolumeNodeAffinity;
  /** VolumeAttributesClass the volume belongs to; the CSI driver may change it after a modification. */
  volumeAttributesClassName?: string;
}

/** Nodes a volume can be accessed from. */
export interface VolumeNodeAffinity {
  /** Hard node constraints that must be met. */
  required?: NodeSelector;
}

/** Observed state of a persistent volume. */
export interface PersistentVolumeStatus {
  /** Lifecycle phase of the volume. */
  phase?: 'Available' | 'Bound' | 'Failed' | 'Pending' | 'Released';
  /** Human-readable explanation of the phase. */
  message?: string;
  /** Machine-readable CamelCase reason for a failure. */
  reason?: string;
  /** When the volume last changed phase. */
  lastPhaseTransitionTime?: string;
}

/** A user's request for storage, bound to one persistent volume. */
export interface PersistentVolumeClaim {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The storage requested. */
  spec?: PersistentVolumeClaimSpec;
  /** Current state of the claim. */
  status?: PersistentVolumeClaimStatus;
}

/** A list of PersistentVolumeClaim objects. */
export interface PersistentVolumeClaimList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The PersistentVolumeClaim objects. */
  items: PersistentVolumeClaim[];
}

/** What a claim asks for. */
export interface PersistentVolumeClaimSpec {
  /** Access modes the volume must support. Values: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod. */
  accessModes?: string[];
  /** Labels a pre-provisioned volume must match to be bound. */
  selector?: LabelSelector;
  /** Minimum resources the volume must have; requests.storage may grow for bound claims. */
  resources?: VolumeResourceRequirements;
  /** Name of the bound volume (set by the binder, or to pre-bind). */
  volumeName?: string;
  /** StorageClass to provision from; empty string means no class. */
  storageClassName?: string;
  /** Whether the volume is formatted with a filesystem or used as a raw block device. */
  volumeMode?: 'Block' | 'Filesystem';
  /** Existing snapshot or claim to populate the new volume from. */
  dataSource?: TypedLocalObjectReference;
  /** Any object (possibly in another namespace) to populate the new volume from. */
  dataSourceRef?: TypedObjectReference;
  /** VolumeAttributesClass to apply to the volume; once set it can change but not be removed. */
  volumeAttributesClassName?: string;
}

/** A reference to an object of any kind, possibly in another namespace. */
export interface TypedObjectReference {
  /** API group of the referenced object; empty for the core group. */
  apiGroup?: string;
  /** Kind of the referenced object. */
  kind?: string;
  /** Name of the referenced object. */
  name?: string;
  /** Namespace of the referenced object, when it differs from the claim (needs a ReferenceGrant). */
  namespace?: string;
}

/** Storage resources requested by a claim. */
export interface VolumeResourceRequirements {
  /** Maximum resources allowed. */
  limits?: Record<string, string>;
  /** Minimum resources required; storage is mandatory for claims. */
  requests?: Record<string, string>;
}

/** Observed state of a claim. */
export interface PersistentVolumeClaimStatus {
  /** Lifecycle phase of the claim. */
  phase?: 'Bound' | 'Lost' | 'Pending';
  /** Access modes of the bound volume. Values: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod. */
  accessModes?: string[];
  /** Actual resources of the bound volume. */
  capacity?: Record<string, string>;
  /** Current conditions, e.g. Resizing. */
  conditions?: PersistentVolumeClaimCondition[];
  /** Resources allocated to the claim, possibly above its capacity during expansion. */
  allocatedResources?: Record<string, string>;
  /** Progress of a resize, per resource. */
  allocatedResourceStatuses?: Record<string, 'ControllerResizeInProgress' | 'ControllerResizeInfeasible' | 'NodeResizeInProgress' | 'NodeResizeInfeasible' | 'NodeResizePending'>;
  /** VolumeAttributesClass currently applied to the volume. */
  currentVolumeAttributesClassName?: string;
  /** State of an ongoing volume modification, if any. */
  modifyVolumeStatus?: ModifyVolumeStatus;
}

/** One observation about a claim. */
export interface PersistentVolumeClaimCondition {
  /** Condition type, e.g. Resizing or FileSystemResizePending. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: string;
  /** When the condition was last probed. */
  lastProbeTime?: string;
  /** When the condition last changed status. */
  lastTransitionTime?: string;
  /** Machine-readable CamelCase reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** State of a volume modification. */
export interface ModifyVolumeStatus {
  /** VolumeAttributesClass being applied. */
  targetVolumeAttributesClassName?: string;
  /** State of the modification. */
  status?: 'InProgress' | 'Infeasible' | 'Pending';
}

/** Template of a claim created for an ephemeral volume (and owned by its pod). */
export interface PersistentVolumeClaimTemplate {
  /** Labels and annotations copied to the created claim; other fields may not be set. */
  metadata?: ObjectMeta;
  /** Specification of the created claim. */
  spec?: PersistentVolumeClaimSpec;
}

/** A reference to a secret in any namespace. */
export interface SecretReference {
  /** Name of the secret. */
  name?: string;
  /** Namespace of the secret. */
  namespace?: string;
}

/** A local disk, partition or directory on one node. */
export interface LocalVolumeSource {
  /** Full path of the volume on the node: a directory, or a block device. */
  path: string;
  /** Filesystem type, for block devices that must be formatted; detected when empty. */
  fsType?: string;
}

/** A persistent volume handled by an external CSI driver. */
export interface CSIPersistentVolumeSource {
  /** Name of the CSI driver. */
  driver: string;
  /** Driver-chosen unique identifier of the volume. */
  volumeHandle: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Driver-specific attributes of the volume. */
  volumeAttributes?: Record<string, string>;
  /** Secret passed to ControllerPublishVolume/ControllerUnpublishVolume. */
  controllerPublishSecretRef?: SecretReference;
  /** Secret passed to NodeStageVolume/NodeUnstageVolume. */
  nodeStageSecretRef?: SecretReference;
  /** Secret passed to NodePublishVolume/NodeUnpublishVolume. */
  nodePublishSecretRef?: SecretReference;
  /** Secret passed to ControllerExpandVolume. */
  controllerExpandSecretRef?: SecretReference;
  /** Secret passed to NodeExpandVolume. */
  nodeExpandSecretRef?: SecretReference;
}

/** Deprecated: a Glusterfs persistent volume. */
export interface GlusterfsPersistentVolumeSource {
  /** Endpoints object describing the Glusterfs cluster. */
  endpoints: string;
  /** Glusterfs volume path. */
  path: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Namespace of the endpoints object; defaults to the claim namespace. */
  endpointsNamespace?: string;
}

/** Deprecated: a Rados block device persistent volume. */
export interface RBDPersistentVolumeSource {
  /** Ceph monitors. */
  monitors: string[];
  /** Rados image name. */
  image: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Rados pool. */
  pool?: string;
  /** Rados user. */
  user?: string;
  /** Keyring path for the user. */
  keyring?: string;
  /** Secret with the authentication key, overriding keyring. */
  secretRef?: SecretReference;
  /** Mount the volume read-only. */
  readOnly?: boolean;
}

/** An iSCSI persistent volume. */
export interface ISCSIPersistentVolumeSource {
  /** iSCSI target portal, IP or host with optional port. */
  targetPortal: string;
  /** iSCSI qualified name of the target. */
  iqn: string;
  /** Target LUN number, 0..255. */
  lun?: number;
  /** iSCSI interface name. */
  iscsiInterface?: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Additional target portals. */
  portals?: string[];
  /** Use CHAP authentication for discovery. */
  chapAuthDiscovery?: boolean;
  /** Use CHAP authentication for the session. */
  chapAuthSession?: boolean;
  /** Secret with the CHAP credentials. */
  secretRef?: SecretReference;
  /** Custom iSCSI initiator name. */
  initiatorName?: string;
}

/** Deprecated: an OpenStack Cinder persistent volume. */
export interface CinderPersistentVolumeSource {
  /** Cinder volume id. */
  volumeID: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Secret with parameters to connect to OpenStack. */
  secretRef?: SecretReference;
}

/** Deprecated: a CephFS persistent volume. */
export interface CephFSPersistentVolumeSource {
  /** Ceph monitors. */
  monitors: string[];
  /** Path within the Ceph filesystem to mount; defaults to /. */
  path?: string;
  /** Rados user; defaults to admin. */
  user?: string;
  /** Path of the keyring for the user; defaults to /etc/ceph/user.secret. */
  secretFile?: string;
  /** Secret with the authentication key, overriding secretFile. */
  secretRef?: SecretReference;
  /** Mount the volume read-only. */
  readOnly?: boolean;
}

/** Deprecated: a persistent volume handled by an exec-based plugin. */
export interface FlexPersistentVolumeSource {
  /** Name of the driver. */
  driver: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Secret passed to the plugin scripts. */
  secretRef?: SecretReference;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Extra options for the driver. */
  options?: Record<string, string>;
}

/** Deprecated: an Azure File persistent volume. */
export interface AzureFilePersistentVolumeSource {
  /** Secret with the storage account name and key. */
  secretName: string;
  /** Azure share name. */
  shareName: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Namespace of the secret; defaults to the pod namespace. */
  secretNamespace?: string;
}

/** Deprecated: a ScaleIO persistent volume. */
export interface ScaleIOPersistentVolumeSource {
  /** Address of the ScaleIO API gateway. */
  gateway: string;
  /** Name of the ScaleIO storage system. */
  system: string;
  /** Secret with the ScaleIO user credentials. */
  secretRef?: SecretReference;
  /** Use SSL to talk to the gateway. */
  sslEnabled?: boolean;
  /** ScaleIO protection domain of the storage. */
  protectionDomain?: string;
  /** ScaleIO storage pool of the protection domain. */
  storagePool?: string;
  /** ThickProvisioned or ThinProvisioned. */
  storageMode?: string;
  /** Name of an existing ScaleIO volume. */
  volumeName: string;
  /** Filesystem type to mount. */
  fsType?: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
}

/** Deprecated: a StorageOS persistent volume. */
export interface StorageOSPersistentVolumeSource {
  /** StorageOS volume name, unique within a namespace. */
  volumeName: string;
  /** StorageOS namespace of the volume; defaults to the pod namespace. */
  volumeNamespace?: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount the volume read-only. */
  readOnly?: boolean;
  /** Secret with the StorageOS API credentials. */
  secretRef?: ObjectReference;
}

/** Deprecated: a GCE persistent disk. */
export interface GCEPersistentDiskVolumeSource {
  /** Name of the persistent disk in GCE. */
  pdName: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Partition to mount; 0 mounts the whole disk. */
  partition?: number;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Deprecated: an AWS EBS volume. */
export interface AWSElasticBlockStoreVolumeSource {
  /** ID of the EBS volume. */
  volumeID: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Partition to mount; 0 mounts the whole disk. */
  partition?: number;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** A Fibre Channel volume. */
export interface FCVolumeSource {
  /** World wide names of the targets. */
  targetWWNs?: string[];
  /** Logical unit number of the target. */
  lun?: number;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** World wide identifiers of the volume; not with targetWWNs. */
  wwids?: string[];
}

/** Deprecated: a Flocker dataset. */
export interface FlockerVolumeSource {
  /** Name of the Flocker dataset. */
  datasetName?: string;
  /** UUID of the dataset. */
  datasetUUID?: string;
}

/** Deprecated: a vSphere virtual disk. */
export interface VsphereVirtualDiskVolumeSource {
  /** Path of the vSphere volume vmdk. */
  volumePath: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Storage policy based management profile name. */
  storagePolicyName?: string;
  /** Storage policy based management profile ID. */
  storagePolicyID?: string;
}

/** Deprecated: a Quobyte volume. */
export interface QuobyteVolumeSource {
  /** Quobyte registries as host:port pairs separated by commas. */
  registry: string;
  /** Name of the Quobyte volume. */
  volume: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** User the volume is accessed as. */
  user?: string;
  /** Group the volume is accessed as. */
  group?: string;
  /** Tenant owning the volume. */
  tenant?: string;
}

/** Deprecated: an Azure data disk. */
export interface AzureDiskVolumeSource {
  /** Name of the data disk. */
  diskName: string;
  /** URI of the data disk. */
  diskURI: string;
  /** Host caching mode. */
  cachingMode?: 'None' | 'ReadOnly' | 'ReadWrite';
  /** Filesystem type to mount. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Kind of the disk. */
  kind?: 'Dedicated' | 'Managed' | 'Shared';
}

/** Deprecated: a Photon Controller persistent disk. */
export interface PhotonPersistentDiskVolumeSource {
  /** ID of the Photon Controller disk. */
  pdID: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
}

/** Deprecated: a Portworx volume. */
export interface PortworxVolumeSource {
  /** ID of the Portworx volume. */
  volumeID: string;
  /** Filesystem type to mount, e.g. ext4 or xfs. */
  fsType?: string;
  /** Mount read-only. */
  readOnly?: boolean;
}

/** Keeps a given number of pod replicas, matching a label selector, running. */
export interface ReplicationController {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired replicas and the pods to create. */
  spec?: ReplicationControllerSpec;
  /** Most recently observed replica counts. */
  status?: ReplicationControllerStatus;
}

/** A list of ReplicationController objects. */
export interface ReplicationControllerList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ReplicationController objects. */
  items: ReplicationController[];
}

/** Desired state of a replication controller. */
export interface ReplicationControllerSpec {
  /** Desired number of pods. */
  replicas?: number;
  /** Seconds a new pod must be ready, without crashing, to count as available. */
  minReadySeconds?: number;
  /** Labels of the pods counted as replicas; defaults to the template labels. */
  selector?: Record<string, string>;
  /** Pod created when replicas are missing. */
  template?: PodTemplateSpec;
}

/** Observed state of a replication controller. */
export interface ReplicationControllerStatus {
  /** Most recently observed number of replicas. */
  replicas?: number;
  /** Pods whose labels match the template labels. */
  fullyLabeledReplicas?: number;
  /** Pods that are ready. */
  readyReplicas?: number;
  /** Pods that have been ready for at least minReadySeconds. */
  availableReplicas?: number;
  /** metadata.generation the status reflects. */
  observedGeneration?: number;
  /** Current observations, e.g. ReplicaFailure. */
  conditions?: ReplicationControllerCondition[];
}

/** One observation about a replication controller. */
export interface ReplicationControllerCondition {
  /** Condition type, e.g. ReplicaFailure. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: string;
  /** When the condition last changed status. */
  lastTransitionTime?: string;
  /** Machine-readable CamelCase reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** Caps the total resource usage and object counts of a namespace. */
export interface ResourceQuota {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The limits to enforce. */
  spec?: ResourceQuotaSpec;
  /** Enforced limits and current usage. */
  status?: ResourceQuotaStatus;
}

/** A list of ResourceQuota objects. */
export interface ResourceQuotaList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ResourceQuota objects. */
  items: ResourceQuota[];
}

/** Desired limits of a quota. */
export interface ResourceQuotaSpec {
  /** Hard limit per named resource, e.g. pods, requests.cpu, count/deployments.apps. */
  hard?: Record<string, string>;
  /** Scopes an object must match to be counted: Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity. */
  scopes?: string[];
  /** Scope expressions an object must match to be counted (ANDed with scopes). */
  scopeSelector?: ScopeSelector;
}

/** Selects the objects a quota applies to, by scope. */
export interface ScopeSelector {
  /** Scope requirements, all of which must hold. */
  matchExpressions?: ScopedResourceSelectorRequirement[];
}

/** One scope requirement. */
export interface ScopedResourceSelectorRequirement {
  /** Scope the requirement applies to. */
  scopeName?: string;
  /** Relation between the scope and the values: In, NotIn, Exists or DoesNotExist. */
  operator?: string;
  /** Values for In and NotIn; must be empty for Exists and DoesNotExist. */
  values?: string[];
}

/** Enforced limits and observed usage of a quota. */
export interface ResourceQuotaStatus {
  /** Limits being enforced. */
  hard?: Record<string, string>;
  /** Current usage per resource in the namespace. */
  used?: Record<string, string>;
}

/** Per-object resource constraints and defaults within a namespace. */
export interface LimitRange {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The constraints. */
  spec?: LimitRangeSpec;
}

/** A list of LimitRange objects. */
export interface LimitRangeList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The LimitRange objects. */
  items: LimitRange[];
}

/** Constraints of a limit range. */
export interface LimitRangeSpec {
  /** Constraints, at most one per object type. */
  limits?: LimitRangeItem[];
}

/** Constraints for one type of object. */
export interface LimitRangeItem {
  /** Kind of object constrained: Pod, Container or PersistentVolumeClaim (or a qualified custom type). */
  type?: string;
  /** Maximum usage per resource. */
  max?: Record<string, string>;
  /** Minimum usage per resource. */
  min?: Record<string, string>;
  /** Limits applied to containers that set none. */
  default?: Record<string, string>;
  /** Requests applied to containers that set none. */
  defaultRequest?: Record<string, string>;
  /** Largest allowed limit/request ratio per resource. */
  maxLimitRequestRatio?: Record<string, string>;
}

/** A topology selector term: its label requirements are ANDed. */
export interface TopologySelectorTerm {
  /** Requirements on topology labels; all must hold. */
  matchLabelExpressions?: TopologySelectorLabelRequirement[];
}

/** A topology label with the values it may have. */
export interface TopologySelectorLabelRequirement {
  /** Topology label key, e.g. topology.kubernetes.io/zone. */
  key?: string;
  /** Accepted values of the label; any one matches. */
  values: string[];
}
