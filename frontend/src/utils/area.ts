// Areas travel as strings with two decimals ("89.50"); sums are done in integer
// hundredths of a square metre so that no floating-point rounding creeps in.

export function areaToHundredths(area: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(area.trim())
  if (!match) throw new RangeError(`not an area: ${area}`)
  const [, sign, whole, frac = ''] = match
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  return sign ? -value : value
}

export function hundredthsToArea(value: number): string {
  const sign = value < 0 ? '-' : ''
  const abs = Math.abs(value)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

export function sumAreas(areas: readonly string[]): string {
  return hundredthsToArea(areas.reduce((sum, area) => sum + areaToHundredths(area), 0))
}
