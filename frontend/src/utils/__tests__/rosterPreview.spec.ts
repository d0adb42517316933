import { describe, expect, it } from 'vitest'
import type { ImportReport } from '@/api/types'
import { choicesKey, importQuery, mayImport, needsAreaBasis, proposesKeys, readingOf } from '@/utils/rosterPreview'

function dryRun(over: Partial<ImportReport['layout']> = {}, errors: ImportReport['errors'] = []): ImportReport {
  return {
    dry_run: true,
    format: 'csv',
    rows: 1,
    units_created: 1,
    units_updated: 0,
    units_unchanged: 0,
    units_not_in_file: 0,
    holders_created: 1,
    holders_updated: 0,
    buildings_created: 1,
    layout: {
      header_line: 1,
      columns: [
        { column: 'A', heading: '楼栋', field: 'building', samples: [] },
        { column: 'B', heading: '户主', field: null, samples: [] },
      ],
      skipped: [],
      blank_lines: 0,
      area_source_from_heading: null,
      columns_chosen: false,
      area_basis: { from: 'column', source: null },
      holder_keys: 'column',
      ...over,
    },
    proposed_holders: [],
    holder_keys_confirmed: false,
    errors,
  }
}

describe('roster preview', () => {
  it('starts each column’s select from what the server read, an unread column as -', () => {
    expect(readingOf(dryRun())).toEqual(['building', '-'])
  })

  it('sends only the choices she made, and the key confirmation only on import', () => {
    const none = { columns: null, areaSource: null }
    expect(importQuery(none, true, true)).toEqual({ dry_run: true })
    const chosen = { columns: ['building', 'holder_name'], areaSource: 'contract' as const }
    expect(importQuery(chosen, true, true)).toEqual({ dry_run: true, columns: 'building,holder_name', area_source: 'contract' })
    expect(importQuery(chosen, false, true)).toEqual({
      dry_run: false,
      columns: 'building,holder_name',
      area_source: 'contract',
      holder_keys: 'proposed',
    })
    expect(importQuery(chosen, false, false).holder_keys).toBeUndefined()
  })

  it('opens import only after a clean dry run with the same choices, and confirmed keys when proposed', () => {
    const key = choicesKey({ columns: null, areaSource: 'surveyed' })
    const clean = dryRun()
    expect(mayImport({ report: clean, checkedKey: key, currentKey: key, keysChecked: false })).toBe(true)
    const other = choicesKey({ columns: null, areaSource: 'contract' })
    expect(mayImport({ report: clean, checkedKey: key, currentKey: other, keysChecked: false })).toBe(false)
    const bad = dryRun({}, [{ line: 1, field: 'area_source', message: '缺少面积来源' }])
    expect(mayImport({ report: bad, checkedKey: key, currentKey: key, keysChecked: true })).toBe(false)
    const proposing = dryRun({ holder_keys: 'proposed' })
    expect(proposesKeys(proposing)).toBe(true)
    expect(mayImport({ report: proposing, checkedKey: key, currentKey: key, keysChecked: false })).toBe(false)
    expect(mayImport({ report: proposing, checkedKey: key, currentKey: key, keysChecked: true })).toBe(true)
  })

  it('asks for the area basis when the sheet names none, and keeps asking once chosen', () => {
    expect(needsAreaBasis(dryRun({ area_basis: { from: 'missing', source: null } }))).toBe(true)
    expect(needsAreaBasis(dryRun({ area_basis: { from: 'chosen', source: 'registered' } }))).toBe(true)
    expect(needsAreaBasis(dryRun({ area_basis: { from: 'heading', source: 'registered' } }))).toBe(false)
    expect(needsAreaBasis(null)).toBe(false)
  })
})
