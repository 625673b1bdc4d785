// coordination.k8s.io/v1: Lease, the lightweight lock used for leader election and node heartbeats.
import type { KindDefinition, SchemaModule } from '../../schema/module.js';
import { s } from '../../schema/schema.js';
import { child, fieldErrors, type FieldError } from '../../validation/field-error.js';
import { invalidEach, isQualifiedName } from '../core-v1/checks.js';
import { numAt, strAt } from '../core-v1/json-access.js';
import { kindSchema } from '../core-v1/kind-schema.js';

const LEASE = 'io.k8s.api.coordination.v1.Lease';
const LEASE_SPEC = 'io.k8s.api.coordination.v1.LeaseSpec';
const STRATEGIES = ['OldestEmulationVersion'];

export const coordinationModule: SchemaModule = {
  schemas: {
    [LEASE]: kindSchema({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }, 'A lease on a named resource, held by one identity at a time.', {
      spec: s.ref(LEASE_SPEC, 'Who holds the lease and until when.', { default: {} }),
    }),
    [LEASE_SPEC]: s.object(
      {
        holderIdentity: s.string('Identity of the current holder.'),
        leaseDurationSeconds: s.int32('Seconds candidates must wait after the last renewal before taking the lease over.'),
        acquireTime: s.time('When the current holder acquired the lease (MicroTime).'),
        renewTime: s.time('When the current holder last renewed the lease (MicroTime).'),
        leaseTransitions: s.int32('How many times the lease changed holders.'),
        strategy: s.string('Coordinated leader election strategy for picking the holder, e.g. OldestEmulationVersion.'),
        preferredHolder: s.string('Holder the coordinator wants to take over; the current holder should release the lease.'),
      },
      'Desired and current state of a lease.',
    ),
  },
  validators: {
    [LEASE_SPEC]: (spec, path) => {
      const errs: FieldError[] = [];
      const duration = numAt(spec, 'leaseDurationSeconds');
      if (duration !== undefined && duration <= 0) errs.push(fieldErrors.invalid(child(path, 'leaseDurationSeconds'), duration, 'must be greater than 0'));
      const transitions = numAt(spec, 'leaseTransitions');
      if (transitions !== undefined && transitions < 0)
        errs.push(fieldErrors.invalid(child(path, 'leaseTransitions'), transitions, 'must be greater than or equal to 0'));
      const strategy = strAt(spec, 'strategy');
      if (strategy !== undefined) {
        // Kubernetes nests the path one level too deep here (strategy.strategy); kept for identical messages.
        const p = child(child(path, 'strategy'), 'strategy');
        if (!strategy.includes('/')) {
          if (!STRATEGIES.includes(strategy)) errs.push(fieldErrors.notSupported(p, strategy, STRATEGIES));
        } else errs.push(...invalidEach(p, strategy, isQualifiedName(strategy)));
      }
      if (strAt(spec, 'preferredHolder') && !strategy)
        errs.push(fieldErrors.forbidden(child(path, 'preferredHolder'), 'may only be specified if `strategy` is defined'));
      return errs;
    },
  },
};

export const coordinationKinds: KindDefinition[] = [
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    singular: 'lease',
    namespaced: true,
    schema: LEASE,
  },
];
