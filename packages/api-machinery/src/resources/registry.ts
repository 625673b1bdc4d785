// The resources the API serves, looked up the ways the REST layer, discovery and clients need: by URL segments
// (group, version, plural), by kind, and by group version for discovery documents.
import type { KindDefinition } from '../schema/module.js';

export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface GroupVersion {
  group: string;
  version: string;
}

export function groupVersionString(gv: GroupVersion): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** `deployments.apps` / `pods`: how Kubernetes names a resource in messages. */
export function qualifiedResource(k: Pick<KindDefinition, 'group' | 'plural'>): string {
  return k.group === '' ? k.plural : `${k.plural}.${k.group}`;
}

export function verbsOf(k: KindDefinition): string[] {
  return k.verbs ?? DEFAULT_VERBS;
}

export class ResourceRegistry {
  private readonly byPath = new Map<string, KindDefinition>();
  private readonly byKind = new Map<string, KindDefinition>();
  private readonly groups = new Map<string, string[]>(); // group -> versions, in registration order

  constructor(readonly kinds: readonly KindDefinition[]) {
    for (const k of kinds) {
      const p = `${k.group}/${k.version}/${k.plural}`;
      if (this.byPath.has(p)) throw new Error(`resource ${p} registered twice`);
      this.byPath.set(p, k);
      this.byKind.set(`${k.group}/${k.version}/${k.kind}`, k);
      const versions = this.groups.get(k.group) ?? [];
      if (!versions.includes(k.version)) versions.push(k.version);
      this.groups.set(k.group, versions);
    }
  }

  lookup(group: string, version: string, plural: string): KindDefinition | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  lookupKind(group: string, version: string, kind: string): KindDefinition | undefined {
    return this.byKind.get(`${group}/${version}/${kind}`);
  }

  /** Groups other than core, in registration order, with their versions (first = preferred). */
  apiGroups(): { name: string; versions: string[] }[] {
    return [...this.groups].filter(([g]) => g !== '').map(([name, versions]) => ({ name, versions }));
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.groups.get(group)?.includes(version) ?? false;
  }

  inGroupVersion(group: string, version: string): KindDefinition[] {
    return this.kinds.filter((k) => k.group === group && k.version === version);
  }
}
