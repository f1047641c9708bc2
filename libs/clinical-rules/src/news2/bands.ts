import { z } from 'zod';
import { ACVPU_LEVELS, AcvpuLevel } from '@rpm/contracts';

/**
 * NEWS2 scoring chart of the RCP (2017) as data, transcribed from CLINICAL.md 3.1.
 * Not clinical advice: the chart is copied, not tuned.
 *
 * A band table is an ascending list of inclusive upper bounds: a value scores the points of the
 * first band whose `upTo` it does not exceed, and `above` when it exceeds them all. Values are
 * rounded to the chart's resolution first (see `roundToResolution`), so the table is a closed
 * partition with no gaps between neighbouring bands.
 */

export const SubScore = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
export type SubScore = z.infer<typeof SubScore>;

export const Band = z.strictObject({ upTo: z.number(), points: SubScore });
export type Band = z.infer<typeof Band>;

export const BandTable = z
  .strictObject({
    /** Decimals the chart is written in: 0 for /min, %, mm[Hg]; 1 for Cel. */
    decimals: z.number().int().min(0).max(2),
    bands: z.array(Band).min(1),
    /** Points above the last band's upTo. */
    above: SubScore,
  })
  .refine((t) => t.bands.every((b, i) => i === 0 || b.upTo > t.bands[i - 1]!.upTo), { message: 'bands must ascend' });
export type BandTable = z.infer<typeof BandTable>;

function table(decimals: number, bands: ReadonlyArray<readonly [upTo: number, points: SubScore]>, above: SubScore): Readonly<BandTable> {
  const parsed = BandTable.parse({ decimals, bands: bands.map(([upTo, points]) => ({ upTo, points })), above });
  parsed.bands.forEach((b) => Object.freeze(b));
  Object.freeze(parsed.bands);
  return Object.freeze(parsed);
}

/** Respiration rate (/min): ≤ 8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥ 25 → 3. */
export const RESPIRATORY_RATE_BANDS = table(0, [[8, 3], [11, 1], [20, 0], [24, 2]], 3);

/** SpO2 scale 1 (%): ≤ 91 → 3, 92–93 → 2, 94–95 → 1, ≥ 96 → 0. Oxygen does not change these bands. */
export const SPO2_SCALE_1_BANDS = table(0, [[91, 3], [93, 2], [95, 1]], 0);

/** SpO2 scale 2 (%) on air: ≤ 83 → 3, 84–85 → 2, 86–87 → 1, ≥ 88 → 0 (88–92, and ≥ 93 on air). */
export const SPO2_SCALE_2_AIR_BANDS = table(0, [[83, 3], [85, 2], [87, 1]], 0);

/** SpO2 scale 2 (%) on oxygen: as on air up to 92, then 93–94 → 1, 95–96 → 2, ≥ 97 → 3 (over-oxygenation). */
export const SPO2_SCALE_2_OXYGEN_BANDS = table(0, [[83, 3], [85, 2], [87, 1], [92, 0], [94, 1], [96, 2]], 3);

/** Systolic BP (mm[Hg]): ≤ 90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥ 220 → 3. */
export const SYSTOLIC_BP_BANDS = table(0, [[90, 3], [100, 2], [110, 1], [219, 0]], 3);

/** Pulse (/min): ≤ 40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥ 131 → 3. */
export const PULSE_BANDS = table(0, [[40, 3], [50, 1], [90, 0], [110, 1], [130, 2]], 3);

/** Temperature (Cel, to 0.1): ≤ 35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥ 39.1 → 2. */
export const TEMPERATURE_BANDS = table(1, [[35.0, 3], [36.0, 1], [38.0, 0], [39.0, 1]], 2);

/** Air or oxygen: oxygen → 2, air → 0. */
export const SUPPLEMENTAL_OXYGEN_POINTS: Readonly<Record<'air' | 'oxygen', SubScore>> = Object.freeze({ air: 0, oxygen: 2 });

/** ACVPU (the device contract's levels). New confusion counts as 3, like voice, pain and unresponsive. */
export const ACVPU = ACVPU_LEVELS;
export const Acvpu = AcvpuLevel;
export type Acvpu = AcvpuLevel;
export const CONSCIOUSNESS_POINTS: Readonly<Record<Acvpu, SubScore>> = Object.freeze({
  alert: 0,
  confusion: 3,
  voice: 3,
  pain: 3,
  unresponsive: 3,
});

/**
 * Half-up rounding to `decimals`, on the value as written: 38.05 → 38.1 although the double
 * 38.05 is slightly below it (toPrecision(12) drops the binary representation error first).
 */
export function roundToResolution(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

/** Points of a finite value in a band table, after rounding to the table's resolution. */
export function pointsIn(bandTable: BandTable, value: number): SubScore {
  if (!Number.isFinite(value)) throw new RangeError(`NEWS2: not a finite value: ${value}`);
  const rounded = roundToResolution(value, bandTable.decimals);
  return bandTable.bands.find((b) => rounded <= b.upTo)?.points ?? bandTable.above;
}
