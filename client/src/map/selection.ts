/** Selection shared between ZoneMap and the lists beside it. */

/** What is selected on the map: a zone, a facility, a checkpoint or a case, by id. */
export type MapSelectionLayer = 'zone' | 'facility' | 'checkpoint' | 'case';

export interface MapSelection {
  layer: MapSelectionLayer;
  id: string;
}
