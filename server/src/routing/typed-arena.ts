/**
 * Several typed arrays carved out of one ArrayBuffer.
 *
 * V8 counts every ArrayBuffer as external memory and answers each large allocation with a full
 * mark-compact once enough has accumulated; with a million road objects on the heap (while the
 * roads are being loaded) each of those costs half a second or more. Allocating a graph's arrays
 * in a few large buffers instead of dozens keeps that to one or two collections per build.
 */
type Kind = 'f64' | 'i32' | 'u32' | 'u8';

const BYTES: Record<Kind, number> = { f64: 8, i32: 4, u32: 4, u8: 1 };

/** Sizes an arena: list the arrays first, then allocate and take them in the same order. */
export class TypedArena {
  private bytes = 0;
  private buffer: ArrayBuffer | null = null;
  private offset = 0;

  /** Reserves room for `count` arrays of `length` elements of `kind`; returns `this` for chaining. */
  reserve(kind: Kind, length: number, count = 1): this {
    this.bytes += count * align(length * BYTES[kind]);
    return this;
  }

  private take(kind: Kind, length: number): number {
    if (this.buffer === null) this.buffer = new ArrayBuffer(this.bytes);
    const at = this.offset;
    this.offset += align(length * BYTES[kind]);
    if (this.offset > this.bytes) throw new Error('TypedArena: more taken than reserved');
    return at;
  }

  f64(length: number): Float64Array {
    const at = this.take('f64', length);
    return new Float64Array(this.buffer as ArrayBuffer, at, length);
  }

  i32(length: number): Int32Array {
    const at = this.take('i32', length);
    return new Int32Array(this.buffer as ArrayBuffer, at, length);
  }

  u32(length: number): Uint32Array {
    const at = this.take('u32', length);
    return new Uint32Array(this.buffer as ArrayBuffer, at, length);
  }

  u8(length: number): Uint8Array {
    const at = this.take('u8', length);
    return new Uint8Array(this.buffer as ArrayBuffer, at, length);
  }
}

// Eight-byte alignment keeps every Float64Array view legal whatever precedes it.
function align(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
