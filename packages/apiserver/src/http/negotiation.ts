// Content negotiation for responses: JSON always (also when a typed client asks for protobuf, which it accepts as an
// alternative), and server-side Tables when kubectl asks for `as=Table` (meta.k8s.io v1 or v1beta1).

export interface ResponseFormat {
  table: boolean;
  tableVersion: 'v1' | 'v1beta1';
}

export function negotiate(accept: string | undefined): ResponseFormat {
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((p) => p.trim());
    if (type !== 'application/json' && type !== '*/*') continue;
    const p = new Map(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
    if (p.get('as') === 'Table' && (p.get('g') ?? 'meta.k8s.io') === 'meta.k8s.io') {
      const v = p.get('v');
      if (v === 'v1' || v === undefined) return { table: true, tableVersion: 'v1' };
      if (v === 'v1beta1') return { table: true, tableVersion: 'v1beta1' };
    }
    if (!p.has('as')) return { table: false, tableVersion: 'v1' };
  }
  return { table: false, tableVersion: 'v1' };
}
