// @mapbox/geojson-rewind ships no types. `outer = false` (the default) gives RFC 7946 winding:
// exterior rings counter-clockwise, holes clockwise.
declare module '@mapbox/geojson-rewind' {
  import type { GeoJSON } from 'geojson';
  export default function rewind<T extends GeoJSON>(geojson: T, outer?: boolean): T;
}
