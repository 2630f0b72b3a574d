/**
 * The fixed colours of the risk map, explained by ZoneMapLegend. Zone colours follow the
 * red/orange/yellow convention of Chinese risk-area maps (high/medium/low risk).
 */
import type { FacilityKind, ZoneKind } from '../api/types';

export const ZONE_FILL: Record<ZoneKind, string> = {
  sealed: '#d7191c',
  controlled: '#fdae61',
  precaution: '#ffe45c',
};

/** Darker outlines so adjacent zones of one kind stay distinguishable. */
export const ZONE_OUTLINE: Record<ZoneKind, string> = {
  sealed: '#8c0d0f',
  controlled: '#c4661a',
  precaution: '#b39a00',
};

/** Draw order: a sealed zone lies on top of the controlled zone around it. */
export const ZONE_RANK: Record<ZoneKind, number> = { precaution: 0, controlled: 1, sealed: 2 };

export const FACILITY_COLOR: Record<FacilityKind, string> = {
  designated_hospital: '#1a7f37',
  yellow_code_hospital: '#b08800',
  fangcang: '#6f42c1',
  isolation_site: '#0969da',
  fever_clinic: '#bf3989',
};

export const CHECKPOINT_COLOR = '#24292f';
export const ROUTE_COLOR = '#0550ae';
export const ROUTE_FLAGGED_COLOR = '#cf222e';
export const CASE_COLOR = '#82071e';
