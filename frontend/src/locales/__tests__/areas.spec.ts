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

/** An import: at once, when a part is shown (`lazy`), or (`area`) with that area's messages by `withMessages`. */
interface Import {
  spec: string
  lazy: boolean
  area?: MessageArea
}

/** What a file imports when it runs. */
function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const code = file.endsWith('.vue') ? [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text
  const literal = (node: unknown): string | undefined => (isNode(node) && node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined)
  const found: Import[] = []
  walk(parseAst(code, { lang: 'ts' }), (node) => {
    const [area, load] = node.type === 'CallExpression' && (node.callee as Node).type === 'Identifier' && (node.callee as Node).name === 'withMessages' ? (node.arguments as Node[]) : []
    const loaded = load?.type === 'ArrowFunctionExpression' ? (load.body as Node) : undefined
    const panel = loaded?.type === 'ImportExpression' ? literal(loaded.source) : undefined
    if (panel) {
      found.push({ spec: panel, lazy: true, area: literal(area) as MessageArea })
      return false
    }
    const spec = literal(node.source)
    if (!spec) return
    if (node.type === 'ImportExpression') found.push({ spec, lazy: true })
    else if (node.importKind !== 'type' && node.exportKind !== 'type') found.push({ spec, lazy: false })
  })
  return found
}

/**
 * `start` and every file of ours it runs, at once or when a part is shown; the router's pages are not
 * followed, nor the parts that bring messages of their own: those are listed apart with their area.
 */
function reach(start: string): { files: string[]; parts: { file: string; area: MessageArea }[] } {
  const seen = new Set<string>()
  const parts: { file: string; area: MessageArea }[] = []
  const todo = [start]
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue
    seen.add(file)
    for (const { spec, lazy, area } of imports(file)) {
      const next = lazy && file === ROUTER ? null : resolveImport(spec, file)
      if (next && area) parts.push({ file: next, area })
      else if (next) todo.push(next)
    }
  }
  return { files: [...seen], parts }
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

/** The messages the browser holds once `areas` are loaded, one after the other. */
function messagesOf(areas: MessageArea[]): MessageTree {
  const merge = (into: MessageTree, from: MessageTree): MessageTree => {
    for (const [key, value] of Object.entries(from)) {
      const there = into[key]
      into[key] = typeof value === 'object' && typeof there === 'object' ? merge({ ...there }, value) : value
    }
    return into
  }
  return areas.reduce<MessageTree>((held, area) => merge(held, area === 'all' ? zhCN : pickMessages(zhCN, AREAS[area])), {})
}

/** What `start` uses that `areas` lack, and what each part it brings with its own area lacks. */
function lackingFrom(start: string, areas: MessageArea[], extra: { file: string; key: string }[] = []): string[] {
  const { files, parts } = reach(start)
  return [...lacking(messagesOf(areas), [...usedKeys(files), ...extra]), ...parts.flatMap((part) => lackingFrom(part.file, [...areas, part.area]))]
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
    const frame = reach(join(SRC, 'main.ts'))
    expect(frame.parts).toEqual([])
    const keys = usedKeys(frame.files)
    expect(keys.length).toBeGreaterThan(10)
    const pageAreas = new Set(routes.map((p) => p.area).filter((area) => area !== 'all'))
    const missing = [...pageAreas].flatMap((area) => lacking(messagesOf([area]), keys).map((m) => `${area}: ${m}`))
    expect(missing).toEqual([])
  })

  it('find the parts of the vote page that bring their own messages', () => {
    const { parts } = reach(join(SRC, 'views/VoteView.vue'))
    expect(parts.map((p) => [relative(SRC, p.file), p.area])).toContainEqual(['components/votes/VoteResults.vue', 'votePanels'])
  })

  it.each(routes.filter((p) => p.area !== 'all'))('hold what the $name page uses ($area)', (page) => {
    expect(lackingFrom(page.view, [page.area], page.title ? [{ file: 'router/index.ts', key: page.title }] : [])).toEqual([])
  })
})
