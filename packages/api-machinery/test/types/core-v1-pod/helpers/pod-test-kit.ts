// Shared fixtures for the pod module tests: a registry of the pod schemas, and error-to-message helpers.
import type { JsonObject } from '../../../../src/json.js';
import type { ValidationContext, Validator } from '../../../../src/schema/module.js';
import { SchemaRegistry } from '../../../../src/schema/registry.js';
import { fieldErrorMessage, type FieldError } from '../../../../src/validation/field-error.js';
import { metaSchemas } from '../../../../src/types/meta-v1/schemas.js';
import { podModule } from '../../../../src/types/core-v1/pod.js';
import { podSharedVolumeSourceSchemas } from '../../../../src/types/core-v1/pod-volume-schemas.js';

export const V1 = 'io.k8s.api.core.v1';

/** Meta, the pod module and the shared volume sources (which the core module serves in the full registry). */
export function podRegistry(): SchemaRegistry {
  return new SchemaRegistry([{ schemas: metaSchemas }, podModule, { schemas: podSharedVolumeSourceSchemas }]);
}

export const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

const CREATE: ValidationContext = { operation: 'create' };

/** Runs a component's validator hook directly, as the engine would at `path`. */
export function run(component: string, obj: JsonObject, path: string, ctx: ValidationContext = CREATE): string[] {
  const v: Validator | undefined = podModule.validators?.[`${V1}.${component}`];
  if (!v) throw new Error(`no validator for ${component}`);
  return messages(v(obj, path, ctx));
}

/** A valid, fully defaulted pod spec to mutate in tests. */
export function validSpec(): JsonObject {
  return {
    containers: [
      {
        name: 'app',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
  };
}

export function validPod(): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: validSpec() };
}
