// Answering a questionnaire: the answers as the page edits them and the request it sends.
import type { AnswerItem, Question, QuestionKind } from '@/api/types'

export const TEXT_ANSWER_MAX = 2000

export function isChoice(kind: QuestionKind): boolean {
  return kind === 'single' || kind === 'multiple'
}

/** An answer as the answer page edits it. */
export interface AnswerDraft {
  choices: number[]
  rating: number | null
  text: string
}

export function emptyAnswers(questions: Question[]): AnswerDraft[] {
  return questions.map(() => ({ choices: [], rating: null, text: '' }))
}

/** The page's answers from what the server kept (a draft or my named answer). */
export function answersFrom(questions: Question[], items: AnswerItem[] | null | undefined): AnswerDraft[] {
  return questions.map((_, i) => {
    const a = items?.[i]
    return { choices: [...(a?.choices ?? [])], rating: a?.rating ?? null, text: a?.text ?? '' }
  })
}

/** The request items, one per question; an unanswered question is an empty item. */
export function toAnswerItems(questions: Question[], answers: AnswerDraft[]): AnswerItem[] {
  return questions.map((q, i) => {
    const a = answers[i]
    if (!a) return {}
    if (isChoice(q.kind)) return a.choices.length ? { choices: [...a.choices].sort((x, y) => x - y) } : {}
    if (q.kind === 'rating') return a.rating ? { rating: a.rating } : {}
    return a.text.trim() ? { text: a.text.trim() } : {}
  })
}

export function isAnswered(q: Question, a: AnswerDraft | undefined): boolean {
  if (!a) return false
  if (isChoice(q.kind)) return a.choices.length > 0
  if (q.kind === 'rating') return a.rating !== null
  return a.text.trim().length > 0
}

/** Indexes of required questions left unanswered. */
export function missingRequired(questions: Question[], answers: AnswerDraft[]): number[] {
  return questions.flatMap((q, i) => (q.required && !isAnswered(q, answers[i]) ? [i] : []))
}

/** Toggle an option of a multiple-choice answer, refusing a pick beyond the limit. */
export function togglePick(a: AnswerDraft, option: number, maxPicks: number | null | undefined): boolean {
  const at = a.choices.indexOf(option)
  if (at >= 0) {
    a.choices.splice(at, 1)
    return true
  }
  if (maxPicks && a.choices.length >= maxPicks) return false
  a.choices.push(option)
  return true
}

/** The index of the question a server field names (`answers[2]`, `questions[2].text`), or null. */
export function questionIndex(field: string): number | null {
  const m = /^(?:answers|questions)\[(\d+)\]/.exec(field)
  return m ? Number(m[1]) : null
}
