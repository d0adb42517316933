/**
 * A convention's text as its drafters edit it: numbered as the server numbers it (第一章, 第一条 …,
 * articles counted on across chapters), and the working copy the editor changes.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const
const UNITS = ['', '十', '百', '千'] as const

/** `n` in Chinese numerals as a convention numbers its articles: 1 一, 10 十, 11 十一, 101 一百零一, 110 一百一十. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 10_000) return String(n)
  if (n === 0) return DIGITS[0]
  const digits = Array.from(String(n), Number)
  let out = ''
  let zero = false
  digits.forEach((d, i) => {
    const unit = UNITS[digits.length - 1 - i] ?? ''
    if (d === 0) {
      zero = out !== ''
      return
    }
    if (zero) out += DIGITS[0]
    zero = false
    // 十, 十一 … 十九: a leading ten is said without its 一.
    out += (d === 1 && unit === '十' && out === '' ? '' : DIGITS[d]) + unit
  })
  return out
}

export const chapterLabel = (n: number): string => `第${chineseNumber(n)}章`
export const articleLabel = (n: number): string => `第${chineseNumber(n)}条`

/** The numbers of a text's chapters and articles. */
export interface Numbering {
  /** Per chapter: its label (none for untitled articles before the first chapter) and its articles' labels. */
  chapters: { label: string | null; articles: string[] }[]
}

/**
 * The labels the server gives: a chapter without a title (the first, holding the articles that stand
 * before any chapter) has no number; the others are numbered in turn, and the articles are counted on
 * from one chapter to the next.
 */
export function numberText(chapters: readonly { title?: string; articles: readonly unknown[] }[]): Numbering {
  let chapter = 0
  let article = 0
  return {
    chapters: chapters.map((c) => ({
      label: (c.title ?? '').trim() === '' ? null : chapterLabel(++chapter),
      articles: c.articles.map(() => articleLabel(++article)),
    })),
  }
}

/** A text as sent and read: the server's ids on what it has saved, none on what is new. */
export interface TextBody {
  preamble?: string
  chapters: { id?: string | null; title?: string; articles: { id?: string | null; text: string }[] }[]
}

export interface EditArticle {
  /** This page's own key, for the list to follow an article that moves. */
  key: number
  id: string | null
  text: string
}

export interface EditChapter {
  key: number
  id: string | null
  title: string
  articles: EditArticle[]
}

/** The working copy the editor changes. */
export interface EditText {
  preamble: string
  chapters: EditChapter[]
}

let nextKey = 0
const key = (): number => ++nextKey

export const newArticle = (text = ''): EditArticle => ({ key: key(), id: null, text })
export const newChapter = (title = ''): EditChapter => ({ key: key(), id: null, title, articles: [newArticle()] })

/** The working copy of `body`: ids kept, keys given. */
export function editText(body: TextBody): EditText {
  return {
    preamble: body.preamble ?? '',
    chapters: body.chapters.map((c) => ({
      key: key(),
      id: c.id ?? null,
      title: c.title ?? '',
      articles: c.articles.map((a) => ({ key: key(), id: a.id ?? null, text: a.text })),
    })),
  }
}

/** What is sent: ids of what was saved before, none for the new; the page's keys left out. */
export function draftBody(text: EditText): Required<Pick<TextBody, 'preamble'>> & TextBody {
  const id = (value: string | null) => (value === null ? {} : { id: value })
  return {
    preamble: text.preamble,
    chapters: text.chapters.map((c) => ({ ...id(c.id), title: c.title, articles: c.articles.map((a) => ({ ...id(a.id), text: a.text })) })),
  }
}

/** Moves article `ai` of chapter `ci` one place up (-1) or down (+1), into the next chapter at its edge; whether it moved. */
export function moveArticle(text: EditText, ci: number, ai: number, step: -1 | 1): boolean {
  const chapter = text.chapters[ci]
  const article = chapter?.articles[ai]
  if (!chapter || !article) return false
  const to = ai + step
  if (to >= 0 && to < chapter.articles.length) {
    chapter.articles.splice(ai, 1)
    chapter.articles.splice(to, 0, article)
    return true
  }
  const next = text.chapters[ci + step]
  if (!next) return false
  chapter.articles.splice(ai, 1)
  if (step < 0) next.articles.push(article)
  else next.articles.unshift(article)
  return true
}

/** Moves chapter `ci` one place up or down; whether it moved. */
export function moveChapter(text: EditText, ci: number, step: -1 | 1): boolean {
  const to = ci + step
  const chapter = text.chapters[ci]
  if (!chapter || to < 0 || to >= text.chapters.length) return false
  text.chapters.splice(ci, 1)
  text.chapters.splice(to, 0, chapter)
  return true
}

/** Where a field error of the server (`chapters[1].articles[2].text`) points: a chapter, and an article in it. */
export function errorPlace(field: string): { chapter: number; article: number | null } | null {
  const m = /^chapters\[(\d+)\](?:\.articles\[(\d+)\])?/.exec(field)
  if (!m) return null
  return { chapter: Number(m[1]), article: m[2] === undefined ? null : Number(m[2]) }
}

/** A text read with its numbers, as the server shows one. */
export interface LabelledChapter {
  id: string
  label: string | null
  title: string
  articles: { id: string; label: string; text: string }[]
}

/** `body` with the numbers the server will give it: for a preview of a template or of an imported file. */
export function labelChapters(chapters: TextBody['chapters']): LabelledChapter[] {
  const numbers = numberText(chapters).chapters
  return chapters.map((c, ci) => ({
    id: c.id ?? `c-${ci}`,
    label: numbers[ci]?.label ?? null,
    title: c.title ?? '',
    articles: c.articles.map((a, ai) => ({ id: a.id ?? `a-${ci}-${ai}`, label: numbers[ci]?.articles[ai] ?? '', text: a.text })),
  }))
}
