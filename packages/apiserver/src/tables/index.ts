// Server-side Table output (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which is what makes
// `kubectl get` print the familiar columns. Pure functions: the caller supplies the clock and wraps the result
// into {kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions, rows}.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { get, obj } from './access.js';
import { formatRFC3339 } from './duration.js';
import { printerFor } from './registry.js';
import { NAME_COLUMN, col, name, type Printer, type TableColumnDefinition } from './types.js';

export type { TableColumnDefinition } from './types.js';
export { humanDuration, shortHumanDuration } from './duration.js';
export { eventInterval } from './printers/cluster.js';
export { printedResources, printerFor } from './registry.js';

export interface TableRow {
  cells: JsonValue[];
  /** PartialObjectMetadata (includeObject=Metadata), the object (Object), or null (None) as the real server sends. */
  object: JsonObject | null;
  /** metav1.TableRowCondition list, e.g. Completed for finished pods; omitted when there are none. */
  conditions?: JsonObject[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date;
  includeObject: IncludeObject;
  noHeaders?: boolean;
  /** meta.k8s.io version of the requested Table; row PartialObjectMetadata uses the same one. Default v1. */
  tableVersion?: 'v1' | 'v1beta1';
}

/** The generic table any resource without a dedicated printer gets: Name and Created At (RFC 3339). */
const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, col('Created At', 'date', 'When the object was created (RFC 3339, UTC).')],
  cells: (o) => [name(o), formatRFC3339(get(o, 'metadata', 'creationTimestamp'))],
};

function rowObject(o: JsonObject, include: IncludeObject, version: string): JsonObject | null {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return o;
    default:
      // kubectl builds NAMESPACE, LABELS and -L columns client-side from this metadata.
      return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj(o, 'metadata') ?? {} };
  }
}

/**
 * Column definitions + rows for objects of one resource (group '' for core, resource = plural).
 * All columns are included, wide ones with priority 1: like a real apiserver, the server always renders
 * the wide form and kubectl hides priority-1 columns unless `-o wide`.
 */
export function buildTable(
  group: string,
  resource: string,
  objects: JsonObject[],
  opts: TableOptions,
): { columnDefinitions: TableColumnDefinition[]; rows: TableRow[] } {
  const printer = printerFor(group, resource) ?? defaultPrinter;
  const items = printer.order ? printer.order(objects) : objects;
  const rows = items.map((o): TableRow => {
    const row: TableRow = { cells: printer.cells(o, opts.now), object: rowObject(o, opts.includeObject, opts.tableVersion ?? 'v1') };
    const conditions = printer.conditions?.(o);
    if (conditions) row.conditions = conditions;
    return row;
  });
  // Copies, so a caller decorating its response cannot alter the shared definitions.
  const columnDefinitions = opts.noHeaders ? [] : printer.columns.map((c) => ({ ...c }));
  return { columnDefinitions, rows };
}
