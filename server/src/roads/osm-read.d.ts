// osm-read ships no types: only the PBF entry point the OpenStreetMap importer uses.
declare module 'osm-read' {
  /** A node as osm-read hands it over: ids are decimal strings (they exceed 32 bits). */
  export interface OsmNode {
    id: string;
    lat: number;
    lon: number;
    tags?: Record<string, string>;
  }

  export interface OsmWay {
    id: string;
    tags: Record<string, string>;
    /** The way's node ids in order, as decimal strings. */
    nodeRefs: string[];
  }

  export interface PbfParseOptions {
    filePath: string;
    node?: (node: OsmNode) => void;
    way?: (way: OsmWay) => void;
    /** Called once after the last block. */
    endDocument: () => void;
    /** Called with an Error or a message string when the file cannot be read. */
    error: (err: unknown) => void;
  }

  /** Stops and restarts the block-by-block reading. */
  export interface PbfParserControl {
    pause(): void;
    resume(): void;
  }

  export function parsePbf(opts: PbfParseOptions): PbfParserControl;

  const osmRead: { parsePbf: typeof parsePbf };
  export default osmRead;
}
