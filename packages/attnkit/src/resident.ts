/**
 * What resident objects share: a handle that frees engine memory, freed by `dispose()`
 * or, if the user never calls it, when the object is garbage-collected — where the runtime
 * has `FinalizationRegistry`. Cloudflare Workers dated before 2025-05-05 do not, and workerd
 * may never run finalizers anyway: there `dispose()` is how memory comes back.
 */

/** Anything a backend keeps for a resident object. */
export interface Freeable {
  free(): void;
}

const collected = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Freeable>((handle) => handle.free()) : undefined;

/** Holds a backend handle until `dispose()`; `use` throws a clear Error afterwards. */
export class Resident<H extends Freeable> {
  private handle: H | undefined;

  constructor(handle: H, private readonly kind: string) {
    this.handle = handle;
    collected?.register(this, handle, this);
  }

  /** The live handle, or an Error naming the op when disposed. */
  use(op: string): H {
    if (this.handle === undefined) throw new Error(`${op}: this ${this.kind} was disposed`);
    return this.handle;
  }

  dispose(): void {
    if (this.handle === undefined) return;
    collected?.unregister(this);
    this.handle.free();
    this.handle = undefined;
  }
}
