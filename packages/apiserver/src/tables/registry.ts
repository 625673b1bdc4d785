// Which printer serves which API group/resource. Resources absent here get the generic
// Name + Created At table, exactly as a real apiserver does for them (roles, limit ranges, CRDs without columns...).
import * as cluster from './printers/cluster.js';
import * as config from './printers/config.js';
import * as network from './printers/network.js';
import { podPrinter, podTemplatePrinter } from './printers/pod.js';
import * as storage from './printers/storage.js';
import * as workloads from './printers/workloads.js';
import type { Printer } from './types.js';

const BY_GROUP: Record<string, Record<string, Printer>> = {
  '': {
    pods: podPrinter,
    podtemplates: podTemplatePrinter,
    replicationcontrollers: workloads.replicationControllerPrinter,
    services: network.servicePrinter,
    endpoints: network.endpointsPrinter,
    nodes: cluster.nodePrinter,
    namespaces: cluster.namespacePrinter,
    events: cluster.eventPrinter,
    configmaps: config.configMapPrinter,
    secrets: config.secretPrinter,
    serviceaccounts: config.serviceAccountPrinter,
    persistentvolumes: storage.persistentVolumePrinter,
    persistentvolumeclaims: storage.persistentVolumeClaimPrinter,
    resourcequotas: cluster.resourceQuotaPrinter,
    componentstatuses: cluster.componentStatusPrinter,
  },
  apps: {
    deployments: workloads.deploymentPrinter,
    replicasets: workloads.replicaSetPrinter,
    statefulsets: workloads.statefulSetPrinter,
    daemonsets: workloads.daemonSetPrinter,
    controllerrevisions: workloads.controllerRevisionPrinter,
  },
  batch: { jobs: workloads.jobPrinter, cronjobs: workloads.cronJobPrinter },
  policy: { poddisruptionbudgets: workloads.podDisruptionBudgetPrinter },
  autoscaling: { horizontalpodautoscalers: workloads.horizontalPodAutoscalerPrinter },
  'networking.k8s.io': {
    ingresses: network.ingressPrinter,
    ingressclasses: network.ingressClassPrinter,
    networkpolicies: network.networkPolicyPrinter,
    servicecidrs: network.serviceCIDRPrinter,
    ipaddresses: network.ipAddressPrinter,
  },
  'discovery.k8s.io': { endpointslices: network.endpointSlicePrinter },
  'events.k8s.io': { events: cluster.eventsV1Printer },
  'coordination.k8s.io': { leases: cluster.leasePrinter, leasecandidates: cluster.leaseCandidatePrinter },
  'rbac.authorization.k8s.io': {
    rolebindings: cluster.roleBindingPrinter,
    clusterrolebindings: cluster.clusterRoleBindingPrinter,
  },
  'storage.k8s.io': {
    storageclasses: storage.storageClassPrinter,
    volumeattributesclasses: storage.volumeAttributesClassPrinter,
    csidrivers: storage.csiDriverPrinter,
    csinodes: storage.csiNodePrinter,
    csistoragecapacities: storage.csiStorageCapacityPrinter,
    volumeattachments: storage.volumeAttachmentPrinter,
  },
  'scheduling.k8s.io': { priorityclasses: cluster.priorityClassPrinter },
  'node.k8s.io': { runtimeclasses: cluster.runtimeClassPrinter },
  'certificates.k8s.io': {
    certificatesigningrequests: cluster.certificateSigningRequestPrinter,
    clustertrustbundles: cluster.clusterTrustBundlePrinter,
  },
  'admissionregistration.k8s.io': {
    mutatingwebhookconfigurations: cluster.mutatingWebhookPrinter,
    validatingwebhookconfigurations: cluster.validatingWebhookPrinter,
    validatingadmissionpolicies: cluster.validatingAdmissionPolicyPrinter,
    validatingadmissionpolicybindings: cluster.validatingAdmissionPolicyBindingPrinter,
  },
  'flowcontrol.apiserver.k8s.io': {
    flowschemas: cluster.flowSchemaPrinter,
    prioritylevelconfigurations: cluster.priorityLevelPrinter,
  },
};

/** The dedicated printer for a group/resource, or undefined when the generic table applies. */
export function printerFor(group: string, resource: string): Printer | undefined {
  const byResource = BY_GROUP[group];
  return byResource && Object.hasOwn(byResource, resource) ? byResource[resource] : undefined;
}

/** Every group/resource with a dedicated printer, as "resource" (core) or "resource.group". */
export function printedResources(): string[] {
  return Object.entries(BY_GROUP).flatMap(([g, m]) => Object.keys(m).map((r) => (g === '' ? r : `${r}.${g}`)));
}
