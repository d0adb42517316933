// The questionnaire builder: what the page edits, the checks the server will make, and the request it sends.
import type { AnswerPer, Audience, NewQuestionnaire, Question, QuestionKind, QuestionnaireView, ResultsVisibility } from '@/api/types'
import { isChoice } from './questionnaires'
import { fromLocalInput, toLocalInput } from './votes'

export const QUESTION_KINDS: readonly QuestionKind[] = ['single', 'multiple', 'rating', 'text']
export const TITLE_MAX = 200
export const QUESTION_MAX = 500
export const OPTION_MAX = 100
export const QUESTIONS_MAX = 50
export const OPTIONS_MAX = 20

/** One question as the builder edits it. */
export interface QuestionDraft {
  /** A stable key for the list while questions move about. */
  key: number
  kind: QuestionKind
  text: string
  required: boolean
  options: string[]
  /** Multiple choice: at most this many picks; null for any number. */
  maxPicks: number | null
}

/** The questionnaire as the builder edits it. */
export interface QuestionnaireDraft {
  title: string
  description: string
  questions: QuestionDraft[]
  audience: Audience
  buildingIds: number[]
  anonymous: boolean
  answerPer: AnswerPer
  allowEdit: boolean
  resultsVisibility: ResultsVisibility
  opensAt: string
  closesAt: string
  agendaId: number | null
}

let nextKey = 1

export function newQuestion(kind: QuestionKind = 'single'): QuestionDraft {
  return { key: nextKey++, kind, text: '', required: true, options: isChoice(kind) ? ['', ''] : [], maxPicks: null }
}

/** A fresh questionnaire: open now for two weeks, named, one answer per household, results live. */
export function emptyQuestionnaire(now: number): QuestionnaireDraft {
  return {
    title: '',
    description: '',
    questions: [newQuestion('single')],
    audience: 'owners',
    buildingIds: [],
    anonymous: false,
    answerPer: 'holder',
    allowEdit: false,
    resultsVisibility: 'live',
    opensAt: toLocalInput(new Date(now)),
    closesAt: toLocalInput(new Date(now + 14 * 86_400_000)),
    agendaId: null,
  }
}

/** The builder's draft of a saved questionnaire. */
export function draftOf(q: QuestionnaireView): QuestionnaireDraft {
  return {
    title: q.title,
    description: q.description,
    questions: q.questions.map((x) => ({
      key: nextKey++,
      kind: x.kind,
      text: x.text,
      required: x.required ?? false,
      options: [...(x.options ?? [])],
      maxPicks: x.max_picks ?? null,
    })),
    audience: q.audience,
    buildingIds: [...(q.building_ids ?? [])],
    anonymous: q.anonymous,
    answerPer: q.answer_per,
    allowEdit: q.allow_edit,
    resultsVisibility: q.results_visibility,
    opensAt: toLocalInput(new Date(q.opens_at)),
    closesAt: toLocalInput(new Date(q.closes_at)),
    agendaId: q.agenda_id ?? null,
  }
}

/** Change a question's kind, keeping what still fits. */
export function setKind(q: QuestionDraft, kind: QuestionKind): void {
  q.kind = kind
  if (isChoice(kind)) {
    while (q.options.length < 2) q.options.push('')
  } else {
    q.options = []
  }
  if (kind !== 'multiple') q.maxPicks = null
}

/** Move the question at `index` by `by` places (-1 up, +1 down). */
export function moveQuestion(list: QuestionDraft[], index: number, by: number): void {
  const to = index + by
  if (to < 0 || to >= list.length) return
  const [q] = list.splice(index, 1)
  if (q) list.splice(to, 0, q)
}

export interface Problem {
  key: string
  params?: Record<string, string | number>
}

/** Problems keyed the way the server names fields, e.g. `questions[1].options[0]`. */
export function validateQuestionnaire(d: QuestionnaireDraft): Record<string, Problem> {
  const out: Record<string, Problem> = {}
  if (!d.title.trim()) out.title = { key: 'questionnaires.form.requiredField' }
  if (d.questions.length === 0) out.questions = { key: 'questionnaires.form.needQuestion' }
  d.questions.forEach((q, i) => {
    if (!q.text.trim()) out[`questions[${i}].text`] = { key: 'questionnaires.form.requiredField' }
    if (isChoice(q.kind)) {
      if (q.options.length < 2) out[`questions[${i}].options`] = { key: 'questionnaires.form.needOptions' }
      const seen = new Set<string>()
      q.options.forEach((o, j) => {
        const v = o.trim()
        if (!v) out[`questions[${i}].options[${j}]`] = { key: 'questionnaires.form.requiredField' }
        else if (seen.has(v)) out[`questions[${i}].options[${j}]`] = { key: 'questionnaires.form.duplicate' }
        seen.add(v)
      })
    }
  })
  if (d.audience === 'buildings' && d.buildingIds.length === 0) out.building_ids = { key: 'questionnaires.form.needBuilding' }
  const opens = fromLocalInput(d.opensAt)
  const closes = fromLocalInput(d.closesAt)
  if (!opens) out.opens_at = { key: 'questionnaires.form.requiredField' }
  if (!closes) out.closes_at = { key: 'questionnaires.form.requiredField' }
  else if (opens && closes <= opens) out.closes_at = { key: 'questionnaires.form.closesAfter' }
  return out
}

/** The request body for a draft. */
export function toNewQuestionnaire(d: QuestionnaireDraft): NewQuestionnaire {
  const questions: Question[] = d.questions.map((q) => ({
    kind: q.kind,
    text: q.text.trim(),
    required: q.required,
    options: isChoice(q.kind) ? q.options.map((o) => o.trim()) : [],
    max_picks: q.kind === 'multiple' ? q.maxPicks : null,
  }))
  return {
    title: d.title.trim(),
    description: d.description,
    questions,
    audience: d.audience,
    building_ids: d.audience === 'buildings' ? d.buildingIds : null,
    anonymous: d.anonymous,
    // Everyone with a role answers for themselves.
    answer_per: d.audience === 'residents' ? 'person' : d.answerPer,
    allow_edit: d.anonymous ? false : d.allowEdit,
    results_visibility: d.resultsVisibility,
    opens_at: (fromLocalInput(d.opensAt) ?? new Date()).toISOString(),
    closes_at: (fromLocalInput(d.closesAt) ?? new Date()).toISOString(),
    agenda_id: d.agendaId,
  }
}
