import type { FollowLightLevel } from './catalog.js';

/** How far from the centre the light travels, as a share of the half-width (it stays inside the play area). */
const REACH = 0.8;

/** The light's centre at `tS` seconds, in 0..1 coordinates of the play area (x right, y down). */
export function lightPosition(level: FollowLightLevel, tS: number): { x: number; y: number } {
  const w = (2 * Math.PI) / level.periodS;
  return {
    x: 0.5 + 0.5 * REACH * Math.sin(level.path.a * w * tS + level.path.phase),
    y: 0.5 + 0.5 * REACH * Math.sin(level.path.b * w * tS),
  };
}

/**
 * Whether the ring (at `ring`, pixels) is on the light (at `light`, pixels) in a play area whose smaller side is
 * `sidePx`: within the light's radius of its centre.
 */
export function onLight(ring: { x: number; y: number }, light: { x: number; y: number }, radius: number, sidePx: number): boolean {
  return Math.hypot(ring.x - light.x, ring.y - light.y) <= radius * sidePx;
}
