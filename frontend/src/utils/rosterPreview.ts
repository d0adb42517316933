import type { AreaSource, ImportReport } from '@/api/types'

/** The fields a sheet column may be read as, in the order the select offers them. */
export const ROSTER_FIELDS = ['building', 'entrance', 'unit', 'area', 'area_source', 'holder_name', 'holder_phone', 'holder_key'] as const
/** A column left unread. */
export const UNREAD = '-'
export const AREA_SOURCES: readonly AreaSource[] = ['registered', 'surveyed', 'contract']

/** What the secretary chose in the preview: how each column is read, and the area basis. */
export interface PreviewChoices {
  /** For each sheet column from A, its field or `-`; null while she has not changed the server's reading. */
  columns: string[] | null
  areaSource: AreaSource | null
}

/** The reading the server applied, one entry per sheet column, as the selects start. */
export function readingOf(report: ImportReport): string[] {
  return report.layout.columns.map((c) => c.field ?? UNREAD)
}

/** A key that is the same for the same file choices, to tell whether a clean dry run still holds. */
export function choicesKey(choices: PreviewChoices): string {
  return JSON.stringify([choices.columns, choices.areaSource])
}

/** The sheet asks for an area basis for the whole sheet: no column, and no heading that names one. */
export function needsAreaBasis(report: ImportReport | null): boolean {
  const from = report?.layout.area_basis.from
  return from === 'missing' || from === 'chosen'
}

/** The sheet has no holder keys: the proposed ones must be confirmed before importing. */
export function proposesKeys(report: ImportReport | null): boolean {
  return report?.layout.holder_keys === 'proposed'
}

/** The query of a dry run or an import with these choices. */
export function importQuery(
  choices: PreviewChoices,
  dryRun: boolean,
  keysConfirmed: boolean,
): { dry_run: boolean; columns?: string; area_source?: AreaSource; holder_keys?: 'proposed' } {
  return {
    dry_run: dryRun,
    ...(choices.columns ? { columns: choices.columns.join(',') } : {}),
    ...(choices.areaSource ? { area_source: choices.areaSource } : {}),
    ...(!dryRun && keysConfirmed ? { holder_keys: 'proposed' as const } : {}),
  }
}

/**
 * Import is open when the last dry run of this very file with these very choices had no errors
 * and, if it proposed holder keys, she ticked that she checked them.
 */
export function mayImport(input: {
  report: ImportReport | null
  checkedKey: string | null
  currentKey: string
  keysChecked: boolean
}): boolean {
  const { report, checkedKey, currentKey, keysChecked } = input
  if (!report || !report.dry_run || report.errors.length > 0) return false
  if (checkedKey === null || checkedKey !== currentKey) return false
  return !proposesKeys(report) || keysChecked
}
