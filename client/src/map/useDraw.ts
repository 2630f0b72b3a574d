/**
 * Zone drawing with terra-draw on the page's map: polygon, rectangle and circle modes, a select
 * mode to drag vertices and whole shapes, snapping to neighbouring zones, self-intersecting shapes
 * refused while drawing, and an undo/redo history of geometry edits kept here as snapshots of the
 * drawn shapes (each finished draw or edit is one step). While a polygon is being drawn, undo and
 * redo act on its placed vertices instead (terra-draw's own history of the shape in progress).
 */
import type { Feature, Polygon } from 'geojson';
import {
  TerraDraw,
  TerraDrawCircleMode,
  TerraDrawPolygonMode,
  TerraDrawRectangleMode,
  TerraDrawSelectMode,
  ValidateNotSelfIntersecting,
  type GeoJSONStoreFeatures,
  type HexColor,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { computed, onBeforeUnmount, readonly, ref, shallowRef, watch, type Ref } from 'vue';
import type { ZoneGeometry, ZoneKind } from '../api/types';
import { ZONE_FILL, ZONE_OUTLINE } from './colors';
import { snapToZones } from './snapping';
import type { MapHandle } from './useMap';

export type DrawTool = 'static' | 'polygon' | 'rectangle' | 'circle' | 'select';

/** The modes that create zone shapes (all of them make Polygons). */
const SHAPE_MODES = ['polygon', 'rectangle', 'circle'] as const;

/** A drawn shape, as kept in the history: a GeoJSON Polygon with a stable id. */
export type DrawnShape = Feature<Polygon, { mode: string; kind?: ZoneKind; label?: string }> & { id: string | number };

type Snapshot = DrawnShape[];

/** How many edits can be undone. @defaultValue 100 */
export const DRAW_HISTORY_LIMIT = 100;

export interface UseDrawOptions {
  /** Geometries to snap to (the neighbouring zones). */
  snapTargets: () => ZoneGeometry[];
}

function isShape(feature: GeoJSONStoreFeatures): boolean {
  const mode = feature.properties.mode;
  return (
    feature.geometry.type === 'Polygon' &&
    typeof mode === 'string' &&
    (SHAPE_MODES as readonly string[]).includes(mode) &&
    !feature.properties.currentlyDrawing
  );
}

/**
 * terra-draw refuses coordinates with more decimals than its precision (9); turf's circles have
 * up to 15. Seven decimals is about a centimetre, far finer than any zone boundary.
 */
const COORDINATE_DECIMALS = 7;

function withPrecision(polygon: Polygon): Polygon {
  const factor = 10 ** COORDINATE_DECIMALS;
  return {
    type: 'Polygon',
    coordinates: polygon.coordinates.map((ring) =>
      ring.map((position) => position.slice(0, 2).map((value) => Math.round(value * factor) / factor)),
    ),
  };
}

function colorOf(feature: GeoJSONStoreFeatures, table: Record<ZoneKind, string>, fallback: string): HexColor {
  const kind = feature.properties.kind;
  return ((typeof kind === 'string' && kind in table ? table[kind as ZoneKind] : fallback) as HexColor);
}

const shapeStyles = {
  fillColor: (f: GeoJSONStoreFeatures) => colorOf(f, ZONE_FILL, '#0969da'),
  outlineColor: (f: GeoJSONStoreFeatures) => colorOf(f, ZONE_OUTLINE, '#0550ae'),
  fillOpacity: 0.35,
  outlineWidth: 2,
};

/**
 * Drawing on the map behind `handleSource` (a ZoneMap's handle, available after it mounts).
 */
export function useDraw(handleSource: () => MapHandle | null | undefined, options: UseDrawOptions) {
  const draw = shallowRef<TerraDraw | null>(null);
  const tool = ref<DrawTool>('static');
  const shapes = shallowRef<Snapshot>([]);
  const past = shallowRef<Snapshot[]>([]);
  const future = shallowRef<Snapshot[]>([]);
  /** The reason the last shape or edit was refused (e.g. it crossed itself), until the next success. */
  const refusal = ref<string | null>(null);
  let restoring = false;
  /** The polygon mode, kept to reach its history of the polygon being drawn. */
  let polygonMode: TerraDrawPolygonMode | null = null;
  /** Whether a polygon is being drawn with a vertex undo can remove / redo can put back. */
  const sketch = ref({ canUndo: false, canRedo: false });

  /** The polygon being drawn, when there is one with a vertex to take back / put back. */
  function sketchNow(): { canUndo: boolean; canRedo: boolean } {
    const drawing = polygonMode !== null && polygonMode.state === 'drawing';
    return { canUndo: drawing && polygonMode!.undoSize() > 0, canRedo: drawing && polygonMode!.redoSize() > 0 };
  }

  function syncSketch(): void {
    const next = sketchNow();
    if (next.canUndo !== sketch.value.canUndo || next.canRedo !== sketch.value.canRedo) sketch.value = next;
  }

  /**
   * terra-draw reports a change while it is still handling the click (before it records the
   * vertex in its history, and before a finished polygon leaves the drawing state), so the
   * toolbar is synced once the click has been handled.
   */
  function syncSketchSoon(): void {
    queueMicrotask(syncSketch);
  }

  const validation = (feature: GeoJSONStoreFeatures, context: { updateType: string }) => {
    const result = ValidateNotSelfIntersecting(feature);
    // Only a click (commit/finish) is reported; pointer moves are refused silently.
    if (!result.valid && context.updateType !== 'provisional') refusal.value = result.reason ?? 'invalid';
    return result;
  };

  function readShapes(): Snapshot {
    const current = draw.value;
    if (!current) return [];
    return current
      .getSnapshot()
      .filter(isShape)
      .map((feature) => structuredClone(feature) as unknown as DrawnShape);
  }

  function record(): void {
    if (restoring) return;
    const next = readShapes();
    // terra-draw may report one gesture more than once; only a real change is an undo step.
    if (JSON.stringify(next) === JSON.stringify(shapes.value)) return;
    past.value = [...past.value, shapes.value].slice(-DRAW_HISTORY_LIMIT);
    future.value = [];
    shapes.value = next;
    refusal.value = null;
  }

  function restore(snapshot: Snapshot): void {
    const current = draw.value;
    shapes.value = snapshot;
    if (!current) return;
    restoring = true;
    try {
      const mode = current.getMode();
      current.setMode('static');
      current.clear();
      if (snapshot.length) {
        const results = current.addFeatures(structuredClone(snapshot) as unknown as GeoJSONStoreFeatures[]);
        const refused = results.find((result) => !result.valid);
        if (refused) refusal.value = refused.reason ?? 'invalid';
      }
      current.setMode(mode);
    } finally {
      restoring = false;
      syncSketch();
    }
  }

  function create(handle: MapHandle): void {
    const map = handle.map.value;
    if (!map || draw.value) return;
    const snapping = { toCoordinate: true, toLine: true, toCustom: snapToZones(options.snapTargets) };
    const editFlags = {
      feature: {
        draggable: true,
        validation,
        coordinates: { draggable: true, midpoints: true, deletable: true, snappable: snapping },
      },
    };
    polygonMode = new TerraDrawPolygonMode({ snapping, validation, styles: shapeStyles, editable: false });
    const instance = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      modes: [
        polygonMode,
        new TerraDrawRectangleMode({ styles: shapeStyles }),
        new TerraDrawCircleMode({ styles: shapeStyles }),
        new TerraDrawSelectMode({
          flags: { polygon: editFlags, rectangle: editFlags, circle: editFlags },
        }),
      ],
    });
    instance.start();
    instance.on('finish', () => {
      record();
      syncSketchSoon();
    });
    instance.on('change', (_ids, type) => {
      // Each placed vertex is a change: the toolbar's Undo follows the polygon in progress.
      syncSketchSoon();
      // Deleting a shape (Delete key in select mode) finishes nothing, so record it here.
      if (type === 'delete' && !restoring) {
        const next = readShapes();
        if (next.length !== shapes.value.length) record();
      }
    });
    draw.value = instance;
    if (shapes.value.length) restore(shapes.value);
    if (tool.value !== 'static') instance.setMode(tool.value);
  }

  // The map appears when the ZoneMap mounts; terra-draw needs its style loaded first.
  watch(
    () => handleSource(),
    (handle) => {
      if (handle) handle.onStyleLoad(() => create(handle));
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    try {
      draw.value?.stop();
    } catch {
      // The map may already be gone; nothing left to clean.
    }
    draw.value = null;
    polygonMode = null;
  });

  /** Switches the drawing tool ('static' = the map behaves normally). */
  function setTool(next: DrawTool): void {
    tool.value = next;
    refusal.value = null;
    draw.value?.setMode(next);
    syncSketch();
  }

  /** Replaces the drawn shapes (a zone to edit, proposals around a case) and starts a new history. */
  function load(polygons: { geometry: Polygon; kind?: ZoneKind; label?: string }[]): void {
    const snapshot: Snapshot = polygons.map((polygon, index) => ({
      type: 'Feature',
      id: crypto.randomUUID?.() ?? `shape-${Date.now()}-${index}`,
      geometry: withPrecision(polygon.geometry),
      properties: {
        mode: 'polygon',
        ...(polygon.kind ? { kind: polygon.kind } : {}),
        ...(polygon.label ? { label: polygon.label } : {}),
      },
    }));
    past.value = [];
    future.value = [];
    restore(snapshot);
  }

  /** Removes every drawn shape (recorded, so it can be undone). */
  function clear(): void {
    if (!shapes.value.length) return;
    past.value = [...past.value, shapes.value].slice(-DRAW_HISTORY_LIMIT);
    future.value = [];
    restore([]);
  }

  /** Forgets the shapes and the history (after a successful save). */
  function reset(): void {
    past.value = [];
    future.value = [];
    restore([]);
    setTool('static');
  }

  /** Removes the last placed vertex of the polygon being drawn, or else undoes the last edit. */
  function undo(): void {
    // The polygon's own state decides, not the toolbar's copy of it (a key can beat the sync).
    if (sketchNow().canUndo && polygonMode) {
      polygonMode.undo();
      syncSketch();
      return;
    }
    const previous = past.value[past.value.length - 1];
    if (!previous) return;
    past.value = past.value.slice(0, -1);
    future.value = [shapes.value, ...future.value];
    restore(previous);
  }

  /** Puts back a vertex undone while drawing, or else redoes the last undone edit. */
  function redo(): void {
    if (sketchNow().canRedo && polygonMode) {
      polygonMode.redo();
      syncSketch();
      return;
    }
    const [next, ...rest] = future.value;
    if (!next) return;
    future.value = rest;
    past.value = [...past.value, shapes.value];
    restore(next);
  }

  /** Sets a shape's zone kind (colours it) without making an undo step. */
  function setShapeKind(id: string | number, kind: ZoneKind): void {
    shapes.value = shapes.value.map((shape) =>
      shape.id === id ? { ...shape, properties: { ...shape.properties, kind } } : shape,
    );
    if (draw.value?.hasFeature(id)) draw.value.updateFeatureProperties(id, { kind });
  }

  return {
    tool: readonly(tool) as Readonly<Ref<DrawTool>>,
    shapes,
    refusal,
    canUndo: computed(() => sketch.value.canUndo || past.value.length > 0),
    canRedo: computed(() => sketch.value.canRedo || future.value.length > 0),
    /** True while a polygon is being drawn and undo would remove its last vertex. */
    undoesVertex: computed(() => sketch.value.canUndo),
    setTool,
    load,
    clear,
    reset,
    undo,
    redo,
    setShapeKind,
  };
}

export type DrawController = ReturnType<typeof useDraw>;
