// Configuration objects: config maps, secrets, service accounts.
import { keyCount, list, optStr } from '../access.js';
import { AGE_COLUMN, NAME_COLUMN, age, col, name, type Printer } from '../types.js';

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, col('Data', 'string', 'Number of keys in data and binaryData.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), keyCount(o, 'data') + keyCount(o, 'binaryData'), age(o, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'Secret type, which determines the expected keys.'),
    col('Data', 'string', 'Number of keys in the secret.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    // The apiserver stores secrets without a type as Opaque.
    return [name(o), optStr(o, 'type') ?? 'Opaque', keyCount(o, 'data'), age(o, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, col('Secrets', 'string', 'Number of secrets listed on the service account.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), list(o, 'secrets').length, age(o, now)];
  },
};
