// Asserting on the error a promise rejects with, by its class: the test fails if it resolves or rejects otherwise.

/** The error `p` rejects with; throws if it resolves, or rejects with anything but an instance of `type`. */
export async function rejectionOf<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}, the call succeeded`);
}
