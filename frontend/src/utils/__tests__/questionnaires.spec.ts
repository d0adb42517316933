import { describe, expect, it } from 'vitest'
import type { Question } from '@/api/types'
import { answersFrom, missingRequired, questionIndex, toAnswerItems, togglePick } from '@/utils/questionnaires'
import {
  emptyQuestionnaire,
  moveQuestion,
  newQuestion,
  setKind,
  toNewQuestionnaire,
  validateQuestionnaire,
} from '@/utils/questionnaireDraft'

const questions: Question[] = [
  { kind: 'single', text: '您家是否养犬？', required: true, options: ['养犬', '不养犬'] },
  { kind: 'multiple', text: '最希望约束', required: false, options: ['a', 'b', 'c'], max_picks: 2 },
  { kind: 'rating', text: '赞同程度', required: true },
  { kind: 'text', text: '意见', required: false },
]

describe('the questionnaire builder', () => {
  it('names problems the way the server names fields', () => {
    const d = emptyQuestionnaire(Date.UTC(2026, 11, 1))
    d.questions = [newQuestion('single'), newQuestion('rating')]
    d.questions[0]!.options = ['是', '是']
    d.audience = 'buildings'
    const p = validateQuestionnaire(d)
    expect(Object.keys(p).sort()).toEqual(['building_ids', 'questions[0].options[1]', 'questions[0].text', 'questions[1].text', 'title'])
    expect(p['questions[0].options[1]']?.key).toBe('questionnaires.form.duplicate')
  })

  it('keeps options only for choice questions and moves questions about', () => {
    const q = newQuestion('multiple')
    q.maxPicks = 2
    setKind(q, 'rating')
    expect(q.options).toEqual([])
    expect(q.maxPicks).toBeNull()
    setKind(q, 'single')
    expect(q.options).toEqual(['', ''])
    const list = [newQuestion('single'), newQuestion('text'), newQuestion('rating')]
    const keys = list.map((x) => x.key)
    moveQuestion(list, 2, -1)
    expect(list.map((x) => x.key)).toEqual([keys[0], keys[2], keys[1]])
    moveQuestion(list, 0, -1)
    expect(list.map((x) => x.key)).toEqual([keys[0], keys[2], keys[1]])
  })

  it('sends what the server expects: per person for everyone, no edits when anonymous', () => {
    const d = emptyQuestionnaire(Date.UTC(2026, 11, 1))
    d.title = ' 养犬情况调查 '
    d.questions[0]!.text = '养犬吗'
    d.questions[0]!.options = [' 是 ', '否']
    d.audience = 'residents'
    d.answerPer = 'holder'
    d.anonymous = true
    d.allowEdit = true
    const body = toNewQuestionnaire(d)
    expect(body.title).toBe('养犬情况调查')
    expect(body.answer_per).toBe('person')
    expect(body.allow_edit).toBe(false)
    expect(body.building_ids).toBeNull()
    expect(body.questions[0]).toEqual({ kind: 'single', text: '养犬吗', required: true, options: ['是', '否'], max_picks: null })
  })
})

describe('answering', () => {
  it('turns the page into one item per question, blanks empty', () => {
    const a = answersFrom(questions, [{ choices: [1] }, {}, { rating: 4 }])
    a[3]!.text = '  拴绳  '
    expect(toAnswerItems(questions, a)).toEqual([{ choices: [1] }, {}, { rating: 4 }, { text: '拴绳' }])
    expect(missingRequired(questions, answersFrom(questions, null))).toEqual([0, 2])
  })

  it('refuses a pick beyond the limit and toggles picks off', () => {
    const a = answersFrom(questions, null)[1]!
    expect(togglePick(a, 0, 2)).toBe(true)
    expect(togglePick(a, 2, 2)).toBe(true)
    expect(togglePick(a, 1, 2)).toBe(false)
    expect(togglePick(a, 0, 2)).toBe(true)
    expect(a.choices).toEqual([2])
  })

  it('finds the question a server field is about', () => {
    expect(questionIndex('answers[2]')).toBe(2)
    expect(questionIndex('questions[11].options[0]')).toBe(11)
    expect(questionIndex('title')).toBeNull()
  })
})
