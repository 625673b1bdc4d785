// Validation of a pod Volume and its sources (validateVolumeSource and the validate*VolumeSource functions). The
// required fields of each source are `required` keywords in the schemas; these hooks add everything else.
import type { JsonObject } from '../../json.js';
import type { Validator } from '../../schema/module.js';
import { child, fieldErrors, index, key, type FieldError } from '../../validation/field-error.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../../validation/names.js';
import { bool, items, num, obj, str } from './pod-access.js';
import { volumeSourceFields } from './pod-defaults.js';
import {
  fileModeErrors,
  invalidEach,
  localDescendingPathErrors,
  localNonReservedPathErrors,
  noBackstepErrors,
  objectFieldSelectorErrors,
  quantityOf,
  resourceFieldSelectorErrors,
  VOLUME_FIELD_PATHS,
} from './pod-validation-common.js';
import { coreV1 } from './pod-schemas.js';

// The order validateVolumeSource checks the sources in: the first one present counts, the others are refused.
const CHECK_ORDER = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume',
  'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos',
  'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];
if (CHECK_ORDER.length !== volumeSourceFields.length) throw new Error('volume source lists out of sync');

const present = (o: JsonObject, k: string): boolean => o[k] !== undefined && o[k] !== null;

const validateVolume: Validator = (vol, path) => {
  const errs: FieldError[] = [];
  let count = 0;
  for (const source of CHECK_ORDER) {
    if (!present(vol, source)) continue;
    // Kubernetes reports a second downwardAPI source under this misspelt path.
    if (count > 0) errs.push(fieldErrors.forbidden(child(path, source === 'downwardAPI' ? 'downwarAPI' : source), 'may not specify more than 1 volume type'));
    count++;
  }
  if (count === 0) errs.push(fieldErrors.required(path, 'must specify a volume type'));
  const iscsi = obj(vol, 'iscsi');
  const name = str(vol, 'name') ?? '';
  if (iscsi && str(iscsi, 'initiatorName') !== undefined && `${name}:${str(iscsi, 'targetPortal') ?? ''}`.length > 64) {
    errs.push(
      fieldErrors.invalid(child(path, 'name'), name, 'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.'),
    );
  }
  return errs;
};

const validateHostPath: Validator = (hp, path) => {
  const p = str(hp, 'path') ?? '';
  return p === '' ? [] : noBackstepErrors(p, child(path, 'path'));
};

const validateEmptyDir: Validator = (ed, path) => {
  const limit = quantityOf(ed.sizeLimit);
  return limit && limit.sign() < 0 ? [fieldErrors.forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity')] : [];
};

const validateDefaultMode: Validator = (src, path) => fileModeErrors(src, 'defaultMode', path);

const validateKeyToPath: Validator = (kp, path) => [...localNonReservedPathErrors(str(kp, 'path') ?? '', child(path, 'path')), ...fileModeErrors(kp, 'mode', path)];

/** validateDownwardAPIVolumeFile; Kubernetes reports the file's errors under the volume source path, not the item. */
function downwardAPIFileErrors(file: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = str(file, 'path') ?? '';
  if (p === '') errs.push(fieldErrors.required(child(path, 'path')));
  errs.push(...localNonReservedPathErrors(p, child(path, 'path')));
  const fieldRef = obj(file, 'fieldRef');
  const resourceFieldRef = obj(file, 'resourceFieldRef');
  if (fieldRef) {
    errs.push(...objectFieldSelectorErrors(fieldRef, VOLUME_FIELD_PATHS, child(path, 'fieldRef')));
    if (resourceFieldRef) errs.push(fieldErrors.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (resourceFieldRef) {
    errs.push(...resourceFieldSelectorErrors(resourceFieldRef, child(path, 'resourceFieldRef'), true));
  } else {
    errs.push(fieldErrors.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...fileModeErrors(file, 'mode', path));
  return errs;
}

const validateDownwardAPIVolume: Validator = (src, path) => [
  ...fileModeErrors(src, 'defaultMode', path),
  ...items(src, 'items').flatMap(([, f]) => downwardAPIFileErrors(f, path)),
];

/** validateProjectionSources: one field per source and no two files at the same path. */
const validateProjected: Validator = (proj, path) => {
  const errs: FieldError[] = fileModeErrors(proj, 'defaultMode', path);
  const seen = new Set<string>();
  const addPath = (p: string, badValue: string): void => {
    if (seen.has(p)) errs.push(fieldErrors.invalid(path, badValue, 'conflicting duplicate paths'));
    else seen.add(p);
  };
  for (const [i, source] of items(proj, 'sources')) {
    const srcPath = index(child(path, 'sources'), i);
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = obj(source, kind);
      if (!ref) continue;
      n++;
      for (const [, kp] of items(ref, 'items')) {
        const p = str(kp, 'path') ?? '';
        if (p !== '') addPath(p, str(ref, 'name') ?? '');
      }
    }
    const downward = obj(source, 'downwardAPI');
    if (downward) {
      n++;
      for (const [, f] of items(downward, 'items')) {
        errs.push(...downwardAPIFileErrors(f, child(srcPath, 'downwardAPI')));
        const p = str(f, 'path') ?? '';
        if (p !== '') addPath(p, p);
      }
    }
    const token = obj(source, 'serviceAccountToken');
    if (token) {
      n++;
      const tokenPath = child(srcPath, 'serviceAccountToken');
      const exp = num(token, 'expirationSeconds') ?? 0;
      if (exp < 600) errs.push(fieldErrors.invalid(child(tokenPath, 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(fieldErrors.invalid(child(tokenPath, 'expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      // Kubernetes reports the token path under the projected volume itself.
      const p = str(token, 'path') ?? '';
      if (p === '') errs.push(fieldErrors.required(child(path, 'path')));
      else errs.push(...localNonReservedPathErrors(p, child(path, 'path')));
    }
    const bundle = obj(source, 'clusterTrustBundle');
    if (bundle) {
      n++;
      errs.push(...clusterTrustBundleErrors(bundle, child(srcPath, 'clusterTrustBundle')));
      addPath(str(bundle, 'path') ?? '', str(bundle, 'path') ?? '');
    }
    if (n > 1) errs.push(fieldErrors.forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  }
  return errs;
};

function clusterTrustBundleErrors(b: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(b, 'name');
  const signerName = str(b, 'signerName');
  if (name !== undefined && signerName !== undefined) {
    errs.push(fieldErrors.invalid(path, b, 'only one of name and signerName may be used'));
  } else if (name !== undefined) {
    if (name === '') errs.push(fieldErrors.required(child(path, 'name'), 'must be a valid object name'));
    if (b.labelSelector !== undefined) errs.push(fieldErrors.invalid(child(path, 'labelSelector'), b.labelSelector, 'labelSelector must be unset if name is specified'));
  } else if (signerName !== undefined) {
    if (signerName === '') errs.push(fieldErrors.required(child(path, 'signerName'), 'must be a valid signer name'));
  } else {
    errs.push(fieldErrors.required(path, 'either name or signerName must be specified'));
  }
  const p = str(b, 'path') ?? '';
  if (p === '') errs.push(fieldErrors.required(child(path, 'path')));
  errs.push(...localNonReservedPathErrors(p, child(path, 'path')));
  return errs;
}

const validateNFS: Validator = (nfs, path) => {
  const p = str(nfs, 'path') ?? '';
  // Kubernetes reports a missing path twice: Required, and not absolute.
  return p.startsWith('/') ? [] : [fieldErrors.invalid(child(path, 'path'), p, 'must be an absolute path')];
};

const validateGitRepo: Validator = (g, path) => localDescendingPathErrors(str(g, 'directory') ?? '', child(path, 'directory'));

const IQN = /iqn\.\d{4}-\d{2}\.([A-Za-z0-9\-.]+)(:[^,;*&$|\s]+)$/;
const EUI = /^eui.[A-Za-z0-9]{16}$/;
const NAA = /^naa.[A-Za-z0-9]{32}$/;

function iscsiNameErrors(v: string, path: string): FieldError[] {
  if (!v.startsWith('iqn') && !v.startsWith('eui') && !v.startsWith('naa')) return [fieldErrors.invalid(path, v, 'must be valid format starting with iqn, eui, or naa')];
  if ((v.startsWith('iqn') && !IQN.test(v)) || (v.startsWith('eui') && !EUI.test(v)) || (v.startsWith('naa') && !NAA.test(v))) {
    return [fieldErrors.invalid(path, v, 'must be valid format')];
  }
  return [];
}

const validateISCSI: Validator = (iscsi, path) => {
  const errs: FieldError[] = [];
  const iqn = str(iscsi, 'iqn') ?? '';
  if (iqn !== '') errs.push(...iscsiNameErrors(iqn, child(path, 'iqn')));
  const lun = num(iscsi, 'lun') ?? 0;
  if (lun < 0 || lun > 255) errs.push(fieldErrors.invalid(child(path, 'lun'), lun, inclusiveRangeError(0, 255)));
  if ((bool(iscsi, 'chapAuthDiscovery') || bool(iscsi, 'chapAuthSession')) && !obj(iscsi, 'secretRef')) errs.push(fieldErrors.required(child(path, 'secretRef')));
  const initiator = str(iscsi, 'initiatorName');
  if (initiator !== undefined) errs.push(...iscsiNameErrors(initiator, child(path, 'initiatorname')));
  return errs;
};

const validateFlex: Validator = (fv, path) => {
  const errs: FieldError[] = [];
  for (const k of Object.keys(obj(fv, 'options') ?? {}).sort()) {
    const slash = k.indexOf('/');
    const ns = `.${(slash >= 0 ? k.slice(0, slash) : k).toLowerCase()}`;
    if (ns.endsWith('.kubernetes.io') || ns.endsWith('.k8s.io')) errs.push(fieldErrors.invalid(key(child(path, 'options'), k), k, 'kubernetes.io and k8s.io namespaces are reserved'));
  }
  return errs;
};

/** A secretRef whose name Kubernetes requires when the reference is given. */
function secretRefNameErrors(src: JsonObject, path: string): FieldError[] {
  const ref = obj(src, 'secretRef');
  return ref && !str(ref, 'name') ? [fieldErrors.required(child(child(path, 'secretRef'), 'name'))] : [];
}

const validateStorageOS: Validator = (so, path) => {
  const errs: FieldError[] = [];
  const name = str(so, 'volumeName') ?? '';
  if (name !== '') errs.push(...invalidEach(child(path, 'volumeName'), name, isDNS1123Label(name)));
  const ns = str(so, 'volumeNamespace') ?? '';
  if (ns !== '') errs.push(...invalidEach(child(path, 'volumeNamespace'), ns, isDNS1123Label(ns)));
  errs.push(...secretRefNameErrors(so, path));
  return errs;
};

const validateCSI: Validator = (csi, path) => {
  const errs: FieldError[] = [];
  const driver = str(csi, 'driver') ?? '';
  const driverPath = child(path, 'driver');
  if (driver === '') errs.push(fieldErrors.required(driverPath));
  if (driver.length > 63) errs.push(fieldErrors.tooLong(driverPath, '', 63));
  errs.push(...invalidEach(driverPath, driver, isDNS1123Subdomain(driver.toLowerCase())));
  const ref = obj(csi, 'nodePublishSecretRef');
  if (ref) {
    const name = str(ref, 'name') ?? '';
    if (name === '') errs.push(fieldErrors.required(child(child(path, 'nodePublishSecretRef'), 'name')));
    // Kubernetes reports an invalid secret name under csi.name.
    else errs.push(...invalidEach(child(path, 'name'), name, nameIsDNSSubdomain(name, false)));
  }
  return errs;
};

export const podVolumeValidators: Record<string, Validator> = {
  [coreV1('Volume')]: validateVolume,
  [coreV1('HostPathVolumeSource')]: validateHostPath,
  [coreV1('EmptyDirVolumeSource')]: validateEmptyDir,
  [coreV1('SecretVolumeSource')]: validateDefaultMode,
  [coreV1('ConfigMapVolumeSource')]: validateDefaultMode,
  [coreV1('KeyToPath')]: validateKeyToPath,
  [coreV1('DownwardAPIVolumeSource')]: validateDownwardAPIVolume,
  [coreV1('ProjectedVolumeSource')]: validateProjected,
  [coreV1('NFSVolumeSource')]: validateNFS,
  [coreV1('GitRepoVolumeSource')]: validateGitRepo,
  [coreV1('ISCSIVolumeSource')]: validateISCSI,
  [coreV1('FlexVolumeSource')]: validateFlex,
  [coreV1('CinderVolumeSource')]: (c, path) => secretRefNameErrors(c, path),
  [coreV1('StorageOSVolumeSource')]: validateStorageOS,
  [coreV1('CSIVolumeSource')]: validateCSI,
};
