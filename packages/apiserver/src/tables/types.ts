// Shared shapes for the Table printers.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { get } from './access.js';
import { timestampSince } from './duration.js';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** How one resource turns into table columns and row cells. */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(o: JsonObject, now: Date): JsonValue[];
  /** Row conditions (metav1.TableRowCondition), e.g. a finished pod's "Completed". */
  conditions?(o: JsonObject): JsonObject[] | undefined;
  /** Some lists print in a defined order rather than storage order (flow schemas). */
  order?(objects: JsonObject[]): JsonObject[];
}

interface ColumnOptions {
  format?: string;
  /** 1 = only shown with `-o wide`. */
  priority?: number;
}

export function col(name: string, type: string, description: string, opts: ColumnOptions = {}): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** Wide-only column. */
export function wide(name: string, type: string, description: string): TableColumnDefinition {
  return col(name, type, description, { priority: 1 });
}

export const NAME_COLUMN = col(
  'Name',
  'string',
  'The object name, unique among objects of this kind in its namespace (or cluster-wide when not namespaced).',
  { format: 'name' },
);

export const AGE_COLUMN = col('Age', 'string', 'How long ago the object was created.');

export const CONTAINERS_COLUMN = wide('Containers', 'string', 'Names of the containers in the pod template.');
export const IMAGES_COLUMN = wide('Images', 'string', 'Images used by the containers in the pod template.');

export const name = (o: JsonObject): string => {
  const n = get(o, 'metadata', 'name');
  return typeof n === 'string' ? n : '';
};

export const age = (o: JsonObject, now: Date): string => timestampSince(get(o, 'metadata', 'creationTimestamp'), now);
