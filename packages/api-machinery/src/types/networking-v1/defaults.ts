// networking.k8s.io/v1 conditional defaulting (pkg/apis/networking/v1/defaults.go). Port protocol TCP and the
// IngressClass parameters scope Cluster are `default` keywords in the schemas.
import type { Defaulter } from '../../schema/module.js';
import { arr } from '../apps-v1/helpers.js';
import { NETWORK_POLICY_SPEC } from './schemas.js';

export const networkingDefaulters: Record<string, Defaulter> = {
  // A policy without policyTypes restricts ingress, and egress too when it has egress rules.
  [NETWORK_POLICY_SPEC]: (spec) => {
    if (arr(spec.policyTypes).length > 0) return;
    spec.policyTypes = arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  },
};
