/** Entry checkpoints (入聊通道服务点) as dark dots with their names at closer zoom. */
import type { ExpressionSpecification } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import { watch, type Ref } from 'vue';
import type { CheckpointProps } from '../api/types';
import { CHECKPOINT_COLOR } from './colors';
import { LABEL_FONT, LayerId, SourceId } from './ids';
import type { MapHandle } from './useMap';

const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

/** Draws checkpoints and keeps the selected one (by id) in feature-state. */
export function useCheckpointLayers(
  handle: MapHandle,
  checkpoints: Ref<FeatureCollection<Point, CheckpointProps> | null>,
  selectedId: Ref<string | null>,
): void {
  const data = () => checkpoints.value ?? { type: 'FeatureCollection' as const, features: [] };

  handle.onStyleLoad(() => {
    handle.ensureSource(SourceId.checkpoints, { type: 'geojson', data: data(), promoteId: 'id' });
    handle.ensureLayer({
      id: LayerId.checkpointCircle,
      type: 'circle',
      source: SourceId.checkpoints,
      paint: {
        'circle-color': CHECKPOINT_COLOR,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['case', selected, 7, hovered, 5.5, 4], 14, ['case', selected, 11, 8]],
        'circle-stroke-color': ['case', selected, '#ffd33d', '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, 1.5],
      },
    });
    handle.ensureLayer({
      id: LayerId.checkpointLabel,
      type: 'symbol',
      source: SourceId.checkpoints,
      minzoom: 10,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 11,
        'text-offset': [0, 1.1],
        'text-anchor': 'top',
        'text-max-width': 9,
        'text-optional': true,
      },
      paint: { 'text-color': '#24292f', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    });
  });
  handle.trackHover(LayerId.checkpointCircle, SourceId.checkpoints);

  watch(checkpoints, () => handle.setSourceData(SourceId.checkpoints, data()));
  watch(selectedId, (id) => handle.select(SourceId.checkpoints, id), { immediate: true });
}
