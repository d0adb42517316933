import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { baseCompile, type CompileError } from '@intlify/message-compiler'
import { parseAst, type Plugin } from 'vite'
import { AREAS, pickMessages, type MessageArea, type MessageTree } from '../src/locales/areas.ts'

type Program = ReturnType<typeof parseAst>
type Declaration = Extract<Program['body'][number], { type: 'VariableDeclaration' }>['declarations'][number]
type Expression = NonNullable<Declaration['init']>

const TABLE = 'virtual:messages'
// One language's messages for one area, as `virtual:messages/<area>.<locale>`.
const AREA = /^virtual:messages\/(\w+)\.([\w-]+)$/

/** The messages a locale module (`const zhCN = { … }; export default zhCN`) exports, read from its source. */
function readMessages(file: string): MessageTree {
  const program = parseAst(readFileSync(file, 'utf8'), { lang: 'ts' })
  const exported = program.body.find((node) => node.type === 'ExportDefaultDeclaration')
  const name = exported?.declaration.type === 'Identifier' ? exported.declaration.name : undefined
  const declaration = program.body
    .flatMap((node) => (node.type === 'VariableDeclaration' ? node.declarations : []))
    .find((d) => d.id.type === 'Identifier' && d.id.name === name)
  if (!declaration?.init) throw new Error(`${file}: no \`export default\` of a constant holding the messages`)
  const read = (node: Expression, path: string): string | MessageTree => {
    if (node.type === 'Literal' && typeof node.value === 'string') return node.value
    if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis.map((q) => q.value.cooked ?? '').join('')
    if (node.type !== 'ObjectExpression') throw new Error(`${file}: ${path || 'the messages'} must be text or an object`)
    const tree: MessageTree = {}
    for (const property of node.properties) {
      const key = property.type !== 'Property' || property.computed ? undefined : property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined
      if (property.type !== 'Property' || key === undefined) throw new Error(`${file}: ${path || 'the messages'} may only hold plain keys`)
      tree[key] = read(property.value, path ? `${path}.${key}` : key)
    }
    return tree
  }
  const messages = read(declaration.init, '')
  if (typeof messages === 'string') throw new Error(`${file}: the messages must be an object`)
  return messages
}

/**
 * One message as JavaScript: a function of vue-i18n's message context, as its own compiler writes
 * it; text without placeholders, plurals or links goes through the module's `s`.
 */
function compileMessage(source: string, key: string): { code: string; links: string[] } {
  const problems: string[] = []
  const { code, ast } = baseCompile(source, { mode: 'arrow', onError: (e: CompileError) => problems.push(e.message) })
  if (problems.length > 0) throw new Error(`message ${key}: ${problems.join('; ')}`)
  const items = 'items' in ast.body ? ast.body.items : null
  if (items?.every((item) => 'value' in item && typeof item.value === 'string')) {
    return { code: `s(${JSON.stringify(items.map((item) => ('value' in item ? item.value : '')).join(''))})`, links: [] }
  }
  return { code, links: [...code.matchAll(/_linked\(("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1] ?? '""') as string) }
}

function has(tree: MessageTree, key: string): boolean {
  let node: string | MessageTree | undefined = tree
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
  return typeof node === 'string'
}

/** A module whose default export is `tree` with every message compiled; `what` names it in errors. */
export function messagesModule(tree: MessageTree, what: string): string {
  const write = (node: MessageTree, path: string): string =>
    `{${Object.entries(node)
      .map(([key, value]) => {
        const here = path ? `${path}.${key}` : key
        if (typeof value !== 'string') return `${JSON.stringify(key)}:${write(value, here)}`
        const { code, links } = compileMessage(value, here)
        const lost = links.find((link) => !has(tree, link))
        if (lost) throw new Error(`message ${here} links to ${lost}, which ${what} leaves out`)
        return `${JSON.stringify(key)}:${code}`
      })
      .join(',')}}`
  return `const s = (text) => () => text\nexport default ${write(tree, '')}\n`
}

/**
 * The app's messages, compiled when the SPA is built and split by page. `virtual:messages` is a
 * table of loaders, one per language and message area (`src/locales/areas.ts`); each loads a module
 * with that area's messages of `<dir>/<locale>.ts`, compiled to functions by vue-i18n's own message
 * compiler. So the browser needs neither the compiler nor the messages of pages it does not show.
 */
export function messages(options: { dir: string; locales: readonly string[] }): Plugin {
  const areas: MessageArea[] = [...(Object.keys(AREAS) as (keyof typeof AREAS)[]), 'all']
  return {
    name: 'sanfang:messages',
    resolveId(id) {
      if (id === TABLE || AREA.test(id)) return `\0${id}`
      return null
    },
    load(id) {
      if (id === `\0${TABLE}`) {
        const table = options.locales.map(
          (locale) => `${JSON.stringify(locale)}: {${areas.map((area) => `${area}: () => import(${JSON.stringify(`${TABLE}/${area}.${locale}`)})`).join(', ')}}`,
        )
        return `export default {\n  ${table.join(',\n  ')}\n}\n`
      }
      const [, area, locale] = AREA.exec(id.slice(1)) ?? []
      if (!locale || !area) return null
      if (!options.locales.includes(locale) || !(areas as string[]).includes(area)) throw new Error(`${id.slice(1)}: no such language or message area`)
      const file = join(options.dir, `${locale}.ts`)
      this.addWatchFile(file)
      const all = readMessages(file)
      const tree = area === 'all' ? all : pickMessages(all, AREAS[area as keyof typeof AREAS])
      return messagesModule(tree, area === 'all' ? `${locale}.ts` : `the ${area} area`)
    },
  }
}
