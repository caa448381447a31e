/** Whole days from one calendar date to another (both YYYY-MM-DD). */
const DAY = 86_400_000;
export const daysBetween = (fromIso: string, toIso: string) => Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY);
