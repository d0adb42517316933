import { describe, expect, it } from 'vitest'
import { shortDigest } from '@/utils/digest'

describe('shortDigest', () => {
  it('keeps the first twelve characters of a digest, a dash when there is none', () => {
    expect(shortDigest('0123456789abcdef')).toBe('0123456789ab')
    expect(shortDigest('abc')).toBe('abc')
    expect(shortDigest(null)).toBe('—')
    expect(shortDigest(undefined)).toBe('—')
    expect(shortDigest('')).toBe('—')
  })
})
