// Node selection as the scheduler applies it: spec.nodeSelector plus required node affinity (ORed terms of ANDed
// requirements), and the weighted preferred terms. Semantics of Kubernetes' component-helpers nodeaffinity: a term
// with no requirements or with an invalid requirement matches no node.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from '@k8ts/api-machinery';

type Labels = Readonly<Record<string, string>>;

const INT64 = /^[+-]?\d+$/;

function parseInt64(text: string): bigint | undefined {
  if (!INT64.test(text)) return undefined;
  const v = BigInt(text);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
}

/** undefined when the requirement is malformed (Kubernetes fails to build the selector and the term never matches). */
export function labelRequirementMatches(req: NodeSelectorRequirement, labels: Labels): boolean | undefined {
  const key = req.key ?? '';
  const values = req.values ?? [];
  if (key === '') return undefined;
  const has = Object.hasOwn(labels, key);
  const value = has ? labels[key] : undefined;
  switch (req.operator) {
    case 'In':
      if (values.length === 0) return undefined;
      return value !== undefined && values.includes(value);
    case 'NotIn':
      if (values.length === 0) return undefined;
      return value === undefined || !values.includes(value);
    case 'Exists':
      if (values.length !== 0) return undefined;
      return has;
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      return !has;
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? parseInt64(values[0]!) : undefined;
      if (bound === undefined) return undefined;
      const actual = value === undefined ? undefined : parseInt64(value);
      if (actual === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return undefined;
  }
}

/** matchFields supports only metadata.name with In/NotIn and exactly one value. */
function fieldRequirementMatches(req: NodeSelectorRequirement, nodeName: string): boolean | undefined {
  const values = req.values ?? [];
  if (req.key !== 'metadata.name' || values.length !== 1) return undefined;
  if (req.operator === 'In') return values[0] === nodeName;
  if (req.operator === 'NotIn') return values[0] !== nodeName;
  return undefined;
}

export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const name = node.metadata?.name ?? '';
  return expressions.every((r) => labelRequirementMatches(r, labels) === true) && fields.every((r) => fieldRequirementMatches(r, name) === true);
}

/** The pod's hard node constraints: every nodeSelector label, and (when given) at least one required term. */
export class RequiredNodeAffinity {
  private readonly selector: Readonly<Record<string, string>>;
  private readonly terms: readonly NodeSelectorTerm[] | undefined;

  constructor(pod: Pod) {
    this.selector = pod.spec?.nodeSelector ?? {};
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.terms = required ? (required.nodeSelectorTerms ?? []) : undefined;
  }

  match(node: Node): boolean {
    const labels = node.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(this.selector)) if (labels[k] !== v) return false;
    if (this.terms === undefined) return true;
    return this.terms.some((t) => nodeSelectorTermMatches(t, node));
  }
}

/** Sum of the weights of the preferred terms the node matches (NodeAffinity's raw score). */
export function preferredNodeAffinityScore(terms: readonly PreferredSchedulingTerm[] | undefined, node: Node): number {
  let score = 0;
  for (const t of terms ?? []) {
    const weight = t.weight ?? 0;
    if (weight === 0 || !t.preference) continue;
    if (nodeSelectorTermMatches(t.preference, node)) score += weight;
  }
  return score;
}
