// Every controller the manager can run, by its --controllers name (kube-controller-manager's names).
import type { ControllerDescriptor } from '../controller-context.js';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from './replicaset/replicaset-controller.js';

export const allControllers: ControllerDescriptor[] = [replicaSetControllerDescriptor, replicationControllerDescriptor];

/**
 * --controllers semantics: "*" is every controller enabled by default, "foo" enables foo, "-foo" disables foo.
 * Unknown names are an error, so a typo never silently runs nothing.
 */
export function selectControllers(spec: string[], available: ControllerDescriptor[] = allControllers): ControllerDescriptor[] {
  const names = new Set(available.map((c) => c.name));
  for (const item of spec) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (name !== '*' && !names.has(name)) throw new Error(`"${name}" is not in the list of known controllers: ${[...names].join(', ')}`);
  }
  const star = spec.includes('*');
  return available.filter((c) => {
    if (spec.includes(`-${c.name}`)) return false;
    if (spec.includes(c.name)) return true;
    return star && c.enabledByDefault;
  });
}
