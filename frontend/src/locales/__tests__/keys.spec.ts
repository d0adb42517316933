// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'

const SRC = fileURLToPath(new URL('../..', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === '__tests__' || name === 'locales' ? [] : sources(path)
    return /\.(vue|ts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), messages)
}

/** Every message key the code uses: t('a.b'), te('a.b'), title: 'a.b' in route meta, and t(`a.${x}`) prefixes. */
function usedKeys(): { file: string; key: string; dynamic: boolean }[] {
  const found: { file: string; key: string; dynamic: boolean }[] = []
  for (const path of sources(SRC)) {
    const text = readFileSync(path, 'utf8')
    const file = relative(SRC, path)
    for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) found.push({ file, key: m[1] ?? '', dynamic: false })
    for (const m of text.matchAll(/\btitle: '([\w.]+)'/g)) found.push({ file, key: m[1] ?? '', dynamic: false })
    for (const m of text.matchAll(/\bt\(\s*`([\w.]+)\.\$\{/g)) found.push({ file, key: m[1] ?? '', dynamic: true })
  }
  return found
}

describe('locale messages', () => {
  const keys = usedKeys()

  it('finds the keys used by the code', () => {
    expect(keys.length).toBeGreaterThan(200)
  })

  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s has a message for every key the code uses', (_locale, messages) => {
    const missing = keys
      .filter(({ key, dynamic }) => {
        const node = lookup(messages, key)
        return dynamic ? typeof node !== 'object' || node === null : typeof node !== 'string'
      })
      .map(({ file, key }) => `${file}: ${key}`)
    expect(missing).toEqual([])
  })

  it('has a label for every role, party kind and area source in both languages', () => {
    const roles = ['admin', 'secretary', 'community_staff', 'property_manager', 'property_staff', 'committee_chair', 'committee_member', 'owner']
    for (const messages of [zhCN, en]) {
      for (const role of roles) expect(typeof lookup(messages, `roles.${role}`)).toBe('string')
      for (const kind of ['community_office', 'property_company', 'owners_committee']) expect(typeof lookup(messages, `parties.${kind}`)).toBe('string')
      for (const source of ['registered', 'surveyed', 'contract']) expect(typeof lookup(messages, `areaSources.${source}`)).toBe('string')
    }
  })
})
