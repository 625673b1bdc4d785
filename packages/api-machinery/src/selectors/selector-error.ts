/** A label or field selector that does not parse; the message is Kubernetes' own (the apiserver answers 400 with it). */
export class SelectorParseError extends Error {
  override name = 'SelectorParseError';
}
