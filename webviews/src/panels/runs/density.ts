// Row height per table density (preference mltrack.table.density). The table's virtualization positions rows at
// index × height, so one number drives both the CSS row height (--mt-row-h) and the arithmetic.
import type { Preferences } from '../../../../extension/src/protocol';

export const ROW_HEIGHTS: Readonly<Record<Preferences['tableDensity'], number>> = { compact: 20, normal: 24, comfortable: 32 };

/** The row height in CSS pixels for a density (normal for anything unknown). */
export function rowHeight(density: string | null | undefined): number {
  return ROW_HEIGHTS[density as Preferences['tableDensity']] ?? ROW_HEIGHTS.normal;
}
