/**
 * Outgoing packets carved from shared 64 KB slabs. A small typed array of
 * its own costs about a microsecond to allocate and more to collect (its
 * bytes live outside the JavaScript heap); at 1,000 calls the RTP sockets
 * send 50,000 packets a second, so they take consecutive views of one slab
 * instead: one allocation per few hundred packets. A view keeps its slab
 * alive while dgram still holds a queued packet, so nothing is overwritten
 * before it is sent: each byte of a slab is handed out once.
 */
const SLAB_BYTES = 64 * 1024;

export class PacketSlab {
  #slab: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  #used = 0;

  /** `length` fresh zeroed bytes, not shared with any other packet. */
  take(length: number): Uint8Array<ArrayBuffer> {
    if (length > SLAB_BYTES) return new Uint8Array(length);
    if (this.#used + length > this.#slab.length) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#used = 0;
    }
    const bytes = this.#slab.subarray(this.#used, this.#used + length);
    this.#used += length;
    return bytes;
  }
}
