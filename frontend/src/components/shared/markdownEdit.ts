/** What the Markdown editor's toolbar does to the text: pure functions, so they are tested alone. */

export type MarkdownAction = 'heading' | 'bold' | 'list' | 'numbered' | 'quote' | 'link'

export const MARKDOWN_ACTIONS: readonly MarkdownAction[] = ['heading', 'bold', 'list', 'numbered', 'quote', 'link']

/** The text after an edit and the selection to put back. */
export interface Edited {
  text: string
  start: number
  end: number
}

const LINE_PREFIX: Record<'heading' | 'list' | 'quote', string> = { heading: '## ', list: '- ', quote: '> ' }
const NUMBERED = /^\d+\. /

/**
 * `action` applied to `text` with `start`–`end` selected. Bold and link wrap the selection (or
 * `placeholder` when nothing is selected, left selected to be typed over); heading, list, numbered
 * and quote put their mark before every selected line, or take it away when every line has it.
 */
export function applyMarkdown(action: MarkdownAction, text: string, start: number, end: number, placeholder: string): Edited {
  if (action === 'bold' || action === 'link') return wrap(action, text, start, end, placeholder)
  return prefixLines(action, text, start, end)
}

function wrap(action: 'bold' | 'link', text: string, start: number, end: number, placeholder: string): Edited {
  const chosen = text.slice(start, end) || placeholder
  const [before, after] = action === 'bold' ? ['**', '**'] : ['[', '](https://)']
  const next = text.slice(0, start) + before + chosen + after + text.slice(end)
  if (action === 'link' && start !== end) {
    // The words are there; the address is what is left to type.
    const url = start + before.length + chosen.length + 2
    return { text: next, start: url, end: url + 'https://'.length }
  }
  return { text: next, start: start + before.length, end: start + before.length + chosen.length }
}

function prefixLines(action: 'heading' | 'list' | 'numbered' | 'quote', text: string, start: number, end: number): Edited {
  const from = text.lastIndexOf('\n', start - 1) + 1
  const nextBreak = text.indexOf('\n', Math.max(end - (end > start && text[end - 1] === '\n' ? 1 : 0), start))
  const to = nextBreak === -1 ? text.length : nextBreak
  const lines = text.slice(from, to).split('\n')
  const has = (line: string): boolean => (action === 'numbered' ? NUMBERED.test(line) : line.startsWith(LINE_PREFIX[action]))
  const strip = (line: string): string => (action === 'numbered' ? line.replace(NUMBERED, '') : line.slice(LINE_PREFIX[action].length))
  const remove = lines.every(has)
  const changed = lines.map((line, i) => {
    if (remove) return strip(line)
    const bare = action === 'heading' ? line.replace(/^#+ /, '') : line
    return (action === 'numbered' ? `${i + 1}. ` : LINE_PREFIX[action]) + bare
  })
  const block = changed.join('\n')
  const next = text.slice(0, from) + block + text.slice(to)
  if (start === end && lines.length === 1) {
    // A caret stays where it was in its line's words.
    const moved = Math.max(from, start + block.length - (to - from))
    return { text: next, start: moved, end: moved }
  }
  return { text: next, start: from, end: from + block.length }
}
