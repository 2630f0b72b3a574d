import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { joinShared } from '../workers/shared-maps';

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
 * by node:zlib on its thread pool, off the event loop, and the parts are joined in shared memory
 * a slice per turn (workers/shared-maps.ts).
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

interface Chunk {
  /** The chunk's bytes as they stand in the map (with the comma before each feature but the map's first). */
  raw: Buffer;
  /** Those bytes as raw DEFLATE ended by a sync flush. */
  deflated: Promise<Buffer>;
}

/** Keeps the compressed chunks of one map (today's) from one version to the next. */
export class ChunkedGzip {
  private chunks = new Map<string, Chunk>();
  private readonly boundaries = new Map<string, boolean>();
  /** Chunks compressed so far (kept ones are not counted again): what a publication cost. */
  compressedChunks = 0;

  constructor(private readonly level = 6) {}

  /** The gzip of `prefix`, the parts joined by commas, and `suffix`. */
  async gzip(prefix: Buffer, parts: MapPart[], suffix: Buffer): Promise<Buffer> {
    const runs: { id: string; parts: MapPart[]; first: boolean }[] = [];
    let current: MapPart[] = [];
    const close = () => {
      if (!current.length) return;
      const first = runs.length === 0;
      // The comma before a feature belongs to its chunk, so the map's first chunk has none.
      const id = crypto.createHash('sha1').update(`${first ? '^' : ''}${current.map((p) => p.key).join('|')}`).digest('base64url');
      runs.push({ id, parts: current, first });
      current = [];
    };
    for (const part of parts) {
      current.push(part);
      let ends = this.boundaries.get(part.key);
      if (ends === undefined) this.boundaries.set(part.key, (ends = endsChunk(part.key)));
      if (ends) close();
    }
    close();

    const used = new Map<string, Chunk>();
    for (const run of runs) {
      let chunk = this.chunks.get(run.id);
      if (!chunk) {
        const pieces: Buffer[] = [];
        run.parts.forEach((part, i) => {
          if (i > 0 || !run.first) pieces.push(COMMA);
          pieces.push(part.bytes);
        });
        const raw = Buffer.concat(pieces);
        this.compressedChunks += 1;
        const deflated = deflateFlushed(raw, this.level);
        const id = run.id;
        // A failed compression is not kept: the next version tries again.
        deflated.catch(() => this.chunks.delete(id));
        chunk = { raw, deflated };
      }
      used.set(run.id, chunk);
    }
    // The chunks of this version, then some spares for versions still being sent.
    const spare = [...this.chunks].filter(([id]) => !used.has(id)).slice(-SPARE_CHUNKS);
    this.chunks = new Map([...spare, ...used]);
    if (this.boundaries.size > 4 * (parts.length + SPARE_CHUNKS * CHUNK_SPREAD)) this.boundaries.clear();

    // The trailer's CRC-32 and length run over the chunks' bytes: the map is never joined here.
    let crc = zlib.crc32(prefix);
    let length = prefix.length + suffix.length;
    for (const chunk of used.values()) {
      crc = zlib.crc32(chunk.raw, crc);
      length += chunk.raw.length;
    }
    crc = zlib.crc32(suffix, crc);
    const [head, tail, ...body] = await Promise.all([deflateFlushed(prefix, this.level), deflateFlushed(suffix, this.level), ...[...used.values()].map((c) => c.deflated)]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length % 2 ** 32, 4);
    // Into shared memory, a slice per turn: the worker threads read the map from these bytes.
    return joinShared([GZIP_HEADER, head, ...body, tail, FINAL_BLOCK, trailer]);
  }
}
