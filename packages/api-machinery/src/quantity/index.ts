// resource.Quantity: parsing, exact arithmetic and the canonical form Kubernetes serializes.
export {
  Quantity,
  parseQuantity,
  parseQuantityJson,
  isValidQuantity,
  QuantityParseError,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_SUFFIX_ERROR,
} from './quantity.js';
export type { QuantityFormat } from './quantity.js';
