// @vitest-environment node
import { describe, expect, it } from 'vitest'
import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'

function leaves(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]]
  if (typeof node !== 'object' || node === null) return []
  return Object.entries(node).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
}

// Words a Chinese screen may show in Latin letters: file kinds, units, codes (SHA-256, the name of a text's fingerprint), the web address scheme and command names.
const LATIN_OK = /^(CSV|SHA|XLSX|Excel|Word|docx|JPEG|PNG|PDF|MB|https|sanfang|verify|registered|surveyed|contract|building|entrance|unit|area|area_source|holder_name|holder_phone|holder_key)$/

describe('locale wording', () => {
  it('keeps English words out of the Chinese screens', () => {
    const leaked = leaves(zhCN)
      .flatMap(([key, text]) => [...text.replace(/\{\w+\}/g, '').replace(/\b[A-Z0-9]{4,}-[A-Z0-9]{4,}\b/g, '').matchAll(/[A-Za-z][A-Za-z_]+/g)].map((m) => [key, m[0]]))
      .filter(([, word]) => !LATIN_OK.test(word ?? ''))
    expect(leaked).toEqual([])
  })

  it('names what follows a place with a capital: "{compound} · Votes"', () => {
    const lower = leaves(en).filter(([, text]) => /^\{\w+\} · [a-z]\w*$/.test(text))
    expect(lower).toEqual([])
  })
})
