/** The header row of the roster template; the server also accepts the English names. */
export const ROSTER_TEMPLATE_HEADER = ['楼栋', '房号', '面积', '面积来源', '业主姓名', '联系电话', '业主编号'] as const

/** A data: URL for the CSV template. The BOM makes Excel read it as UTF-8. */
export function rosterTemplateHref(): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${ROSTER_TEMPLATE_HEADER.join(',')}\r\n`)}`
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The Content-Type for a roster file; browsers often leave File.type empty for .csv on Windows. */
export function rosterContentType(file: File): string {
  const name = file.name.toLowerCase()
  if (name.endsWith('.xlsx') || file.type === XLSX_TYPE) return XLSX_TYPE
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'text/csv'
  return 'application/octet-stream'
}
