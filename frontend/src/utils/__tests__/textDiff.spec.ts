import { describe, expect, it } from 'vitest'
import { charDiff } from '@/utils/textDiff'

const marked = (parts: { text: string; changed: boolean }[]) => parts.map((p) => (p.changed ? `[${p.text}]` : p.text)).join('')

describe('charDiff', () => {
  it('marks only the characters a correction changes', () => {
    const d = charDiff('物业每日清运一次。', '物业每日早晚清运两次。')
    expect(marked(d.before)).toBe('物业每日清运[一]次。')
    expect(marked(d.after)).toBe('物业每日[早晚]清运[两]次。')
  })

  it('keeps every character, in order, on each side', () => {
    const d = charDiff('abc\ndef', 'xbc\ndzf!')
    expect(d.before.map((p) => p.text).join('')).toBe('abc\ndef')
    expect(d.after.map((p) => p.text).join('')).toBe('xbc\ndzf!')
  })

  it('marks a side added or removed whole', () => {
    expect(charDiff('', '新增一行')).toEqual({ before: [], after: [{ text: '新增一行', changed: true }] })
    expect(charDiff('删去', '')).toEqual({ before: [{ text: '删去', changed: true }], after: [] })
  })

  it('does not compare a long middle character by character', () => {
    const a = 'x'.repeat(600)
    const b = 'y'.repeat(600)
    expect(charDiff(`头${a}尾`, `头${b}尾`).after).toEqual([
      { text: '头', changed: false },
      { text: b, changed: true },
      { text: '尾', changed: false },
    ])
  })
})
