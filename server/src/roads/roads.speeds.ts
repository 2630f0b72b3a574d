/**
 * Road classes and the free-flow speed the router assumes for each. One table for every source of
 * roads: the OSM import (a way without a usable `maxspeed`) and the hand-drawn sample network of
 * geodata/scripts/build-roads.ts.
 */

/** The road classes the `roads` table accepts (its CHECK constraint). */
export type RoadClass = 'motorway' | 'trunk' | 'primary' | 'secondary' | 'tertiary' | 'residential' | 'service' | 'unclassified';

/** Speed in km/h assumed for a road without a usable speed limit, by class. */
export const DEFAULT_SPEED_KMH: Readonly<Record<RoadClass, number>> = Object.freeze({
  motorway: 100,
  trunk: 70,
  primary: 60,
  secondary: 50,
  tertiary: 40,
  residential: 30,
  unclassified: 30,
  service: 20,
});
