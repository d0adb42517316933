// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAst } from 'vite'
import { describe, expect, it } from 'vitest'
import { AREAS, pickMessages, type MessageArea, type MessageTree } from '@/locales/areas'
import zhCN from '@/locales/zh-CN'

const SRC = fileURLToPath(new URL('../..', import.meta.url))
const ROUTER = join(SRC, 'router/index.ts')

// A key or key prefix written in the code: 'votes.title', or `votes.status.${…}`.
const KEY = new RegExp(`['"\`]((?:${Object.keys(zhCN).join('|')})\\.[\\w.]*?)(\\.?\\$\\{|['"\`])`, 'g')

function lookup(tree: MessageTree, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), tree)
}

/** The source file of ours an import names, if it is one. */
function resolveImport(spec: string, from: string): string | null {
  const base = spec.startsWith('@/') ? join(SRC, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null
  if (base === null) return null
  return [base, `${base}.ts`, join(base, 'index.ts')].find((file) => /\.(ts|vue)$/.test(file) && existsSync(file)) ?? null
}

type Node = { type: string; [key: string]: unknown }

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && 'type' in value

function walk(node: unknown, visit: (node: Node) => boolean | void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit))
  if (!isNode(node) || visit(node) === false) return
  for (const value of Object.values(node)) if (typeof value === 'object') walk(value, visit)
}

/** What a file imports when it runs: at once, or (`lazy`) when a part of it is shown. */
function imports(file: string): { spec: string; lazy: boolean }[] {
  const text = readFileSync(file, 'utf8')
  const code = file.endsWith('.vue') ? [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text
  const found: { spec: string; lazy: boolean }[] = []
  walk(parseAst(code, { lang: 'ts' }), (node) => {
    const source = node.source as Node | undefined
    const spec = source?.type === 'Literal' && typeof source.value === 'string' ? source.value : undefined
    if (!spec) return
    if (node.type === 'ImportExpression') found.push({ spec, lazy: true })
    else if (node.importKind !== 'type' && node.exportKind !== 'type') found.push({ spec, lazy: false })
  })
  return found
}

/** `start` and every file of ours it runs, at once or when a part is shown; the router's pages are not followed. */
function reach(start: string): string[] {
  const seen = new Set<string>()
  const todo = [start]
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue
    seen.add(file)
    for (const { spec, lazy } of imports(file)) {
      const next = lazy && file === ROUTER ? null : resolveImport(spec, file)
      if (next) todo.push(next)
    }
  }
  return [...seen]
}

/** The keys and key prefixes `files` use; the router's own are its calls of t(). */
function usedKeys(files: string[]): { file: string; key: string }[] {
  return files.flatMap((path) => {
    const text = readFileSync(path, 'utf8')
    const file = relative(SRC, path)
    if (path === ROUTER) return [...text.matchAll(/\bt\(\s*'([\w.]+)'/g)].map((m) => ({ file, key: m[1] ?? '' }))
    return [...text.matchAll(KEY)].map((m) => ({ file, key: (m[1] ?? '').replace(/\.$/, '') }))
  })
}

/** Those of `keys` that `area` lacks or holds only in part. */
function lacking(area: MessageTree, keys: { file: string; key: string }[]): string[] {
  return keys
    .filter(({ key }) => lookup(zhCN, key) !== undefined && JSON.stringify(lookup(area, key)) !== JSON.stringify(lookup(zhCN, key)))
    .map(({ file, key }) => `${file}: ${key}`)
}

interface Page {
  name: string
  view: string
  title: string | undefined
  area: MessageArea
}

/** The routes with their page's file, title and message area, read from the router's source. */
function pages(): Page[] {
  const props = (node: Node | undefined): Map<string, Node> => {
    const out = new Map<string, Node>()
    if (node?.type !== 'ObjectExpression') return out
    for (const p of node.properties as Node[]) {
      const key = p.key as Node
      if (p.type === 'Property' && key.type === 'Identifier' && isNode(p.value)) out.set(key.name as string, p.value)
    }
    return out
  }
  const text = (node: Node | undefined): string | undefined => (node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined)
  const found: Page[] = []
  walk(parseAst(readFileSync(ROUTER, 'utf8'), { lang: 'ts' }), (node) => {
    const route = props(node)
    const component = route.get('component')
    const loaded = component?.type === 'ArrowFunctionExpression' ? (component.body as Node) : undefined
    const view = loaded?.type === 'ImportExpression' ? text(loaded.source as Node) : undefined
    if (!view) return
    const meta = props(route.get('meta'))
    found.push({
      name: text(route.get('name')) ?? '?',
      view: resolveImport(view, ROUTER) ?? view,
      title: text(meta.get('title')),
      area: (text(meta.get('messages')) ?? 'all') as MessageArea,
    })
    return false
  })
  return found
}

function messagesOf(area: MessageArea): MessageTree {
  return area === 'all' ? zhCN : pickMessages(zhCN, AREAS[area])
}

describe('message areas', () => {
  const routes = pages()

  it('reads the pages from the router', () => {
    expect(routes.length).toBeGreaterThan(30)
    expect(routes.find((p) => p.name === 'vote')).toMatchObject({ area: 'vote', title: 'votes.title' })
  })

  it('name only messages that exist', () => {
    const unknown = Object.entries(AREAS).flatMap(([area, list]) => list.filter((entry) => lookup(zhCN, entry.replace(/^!/, '')) === undefined).map((entry) => `${area}: ${entry}`))
    expect(unknown).toEqual([])
  })

  it('each hold what the frame of every page uses', () => {
    const frame = usedKeys(reach(join(SRC, 'main.ts')))
    expect(frame.length).toBeGreaterThan(10)
    const missing = Object.keys(AREAS).flatMap((area) => lacking(messagesOf(area as MessageArea), frame).map((m) => `${area}: ${m}`))
    expect(missing).toEqual([])
  })

  it.each(pages().filter((p) => p.area !== 'all'))('hold what the $name page uses ($area)', (page) => {
    const keys = usedKeys(reach(page.view))
    if (page.title) keys.push({ file: 'router/index.ts', key: page.title })
    expect(lacking(messagesOf(page.area), keys)).toEqual([])
  })
})
