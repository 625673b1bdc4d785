// The one error every patch algorithm throws. The apiserver turns it into a Status: 400 BadRequest for a patch
// document that is malformed, 422 Invalid for a well-formed patch that cannot be applied to the object.

export type PatchErrorStatus = 400 | 422;

export class PatchError extends Error {
  readonly status: PatchErrorStatus;

  constructor(status: PatchErrorStatus, message: string) {
    super(message);
    this.name = 'PatchError';
    this.status = status;
  }
}

/** A malformed patch document (400). */
export function badPatch(message: string): PatchError {
  return new PatchError(400, message);
}

/** A patch that cannot be applied to this object (422). */
export function unprocessablePatch(message: string): PatchError {
  return new PatchError(422, message);
}
