import crypto from 'node:crypto';
import zlib from 'node:zlib';

/**
 * Today's map gzipped without compressing the whole map again for every publication.
 *
 * A publication changes a few zones of a map of thousands, but gzip over the whole map costs
 * hundreds of milliseconds of CPU per version (about 100 ms per 10 MB at level 1 on this machine),
 * and residents ask for the new version the moment it exists. So the map's features are cut into
 * runs ("chunks"), each compressed on its own as a raw DEFLATE stream ended with a sync flush: such
 * streams end on a byte boundary and can be laid one after another into one valid DEFLATE stream,
 * as pigz does for parallel gzip. A chunk's compressed bytes are kept while its features are
 * unchanged, so a new version compresses only the chunks whose features changed.
 *
 * Chunk boundaries depend on the features themselves (a feature whose id hashes to 0 modulo
 * CHUNK_SPREAD ends a chunk), not on positions: inserting a zone changes the chunk it lands in
 * and no other. The gzip member is assembled by hand (RFC 1952: header, the DEFLATE stream, CRC-32
 * and length), since zlib offers no way to join separately compressed streams; each part is made
 * by node:zlib on its thread pool, off the event loop.
 */

/** About how many features a chunk holds: big enough to compress well, small enough to redo. */
const CHUNK_SPREAD = 32;
/** Compressed chunks kept beyond the current map's, for the versions still being sent. */
const SPARE_CHUNKS = 256;

/** One feature of the map: its bytes and what names them (zone, its record entry, the day). */
export interface MapPart {
  key: string;
  bytes: Buffer;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
/** The last DEFLATE block: empty, fixed Huffman, final (what zlib writes on Z_FINISH with no input). */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const COMMA = Buffer.from(',');

function endsChunk(key: string): boolean {
  return crypto.createHash('sha1').update(key).digest().readUInt32BE(0) % CHUNK_SPREAD === 0;
}

function deflateFlushed(bytes: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zlib.deflateRaw(bytes, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/** Keeps the compressed chunks of one map (today's) from one version to the next. */
export class ChunkedGzip {
  private chunks = new Map<string, Promise<Buffer>>();
  private readonly boundaries = new Map<string, boolean>();
  /** Chunks compressed so far (kept ones are not counted again): what a publication cost. */
  compressedChunks = 0;

  constructor(private readonly level = 6) {}

  /**
   * The gzip of `prefix`, the parts joined by commas, and `suffix`; `raw` is those same bytes
   * (used for the checksum and length the gzip trailer needs).
   */
  async gzip(prefix: Buffer, parts: MapPart[], suffix: Buffer, raw: Buffer): Promise<Buffer> {
    const runs: { key: string; bytes: Buffer }[] = [];
    let keys: string[] = [];
    let pieces: Buffer[] = [];
    const close = () => {
      if (!keys.length) return;
      runs.push({ key: keys.join('|'), bytes: Buffer.concat(pieces) });
      keys = [];
      pieces = [];
    };
    parts.forEach((part, i) => {
      // The comma before a feature belongs to its chunk, so the first feature's chunk has none.
      keys.push(i === 0 ? `^${part.key}` : part.key);
      if (i > 0) pieces.push(COMMA);
      pieces.push(part.bytes);
      let ends = this.boundaries.get(part.key);
      if (ends === undefined) this.boundaries.set(part.key, (ends = endsChunk(part.key)));
      if (ends) close();
    });
    close();

    const used = new Map<string, Promise<Buffer>>();
    for (const run of runs) {
      const id = crypto.createHash('sha1').update(run.key).digest('base64url');
      let compressed = this.chunks.get(id);
      if (!compressed) {
        this.compressedChunks += 1;
        compressed = deflateFlushed(run.bytes, this.level);
        // A failed compression is not kept: the next version tries again.
        compressed.catch(() => this.chunks.delete(id));
      }
      used.set(id, compressed);
    }
    // The chunks of this version first (in use order), then some spares for versions in flight.
    const spare = [...this.chunks].filter(([id]) => !used.has(id)).slice(-SPARE_CHUNKS);
    this.chunks = new Map([...spare, ...used]);
    if (this.boundaries.size > 4 * (parts.length + SPARE_CHUNKS * CHUNK_SPREAD)) this.boundaries.clear();

    const [head, tail, ...body] = await Promise.all([deflateFlushed(prefix, this.level), deflateFlushed(suffix, this.level), ...used.values()]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zlib.crc32(raw) >>> 0, 0);
    trailer.writeUInt32LE(raw.length % 2 ** 32, 4);
    return Buffer.concat([GZIP_HEADER, head, ...body, tail, FINAL_BLOCK, trailer]);
  }
}
