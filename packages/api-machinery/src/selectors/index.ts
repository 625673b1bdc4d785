// Label and field selectors as Kubernetes parses, prints, validates and matches them.
export { SelectorParseError } from './selector-error.js';
export {
  LabelSelector,
  parseLabelSelector,
  labelSelectorFromObject,
  type LabelSelectorObject,
  type LabelSelectorOperator,
  type LabelOperator,
  type LabelRequirement,
  type Labels,
} from './label-selector.js';
export { newRequirement } from './label-requirement.js';
export { validateLabelSelector, type LabelSelectorValidationOptions } from './label-selector-validation.js';
export {
  FieldSelector,
  parseFieldSelector,
  escapeFieldValue,
  unescapeFieldValue,
  type FieldOperator,
  type FieldRequirement,
  type FieldGetter,
} from './field-selector.js';
