import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { QuestionnaireView } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import QuestionnairePage from '@/views/QuestionnaireView.vue'
import { apiError, freshPage, json, mockFetch, openAt, type RecordedRequest, tokens } from '@/__tests__/helpers'

function questionnaire(patch: Partial<QuestionnaireView> = {}): QuestionnaireView {
  return {
    id: 7,
    compound_id: 1,
    compound_name: '太阳城二期',
    title: '养犬情况调查',
    description: '为起草**公约**调查。<img src=x onerror=alert(1)>',
    description_html: '<p>为起草<strong>公约</strong>调查。&lt;img src=x onerror=alert(1)&gt;</p>\n',
    questions: [
      { kind: 'single', text: '您家是否养犬？', required: true, options: ['养犬', '不养犬'] },
      { kind: 'rating', text: '赞同程度', required: true },
      { kind: 'text', text: '其他意见', required: false },
    ],
    audience: 'owners',
    building_ids: null,
    buildings: [],
    anonymous: true,
    answer_per: 'holder',
    allow_edit: false,
    results_visibility: 'live',
    opens_at: '2026-11-01T00:00:00Z',
    closes_at: new Date(Date.now() + 86_400_000).toISOString(),
    status: 'published',
    open: true,
    agenda_id: null,
    created_by: '刘主任',
    created_at: '2026-11-01T00:00:00Z',
    published_at: '2026-11-01T00:00:00Z',
    closed_at: null,
    respondents: 6,
    can_manage: false,
    results_visible: true,
    can_export: false,
    my: {
      eligible: true,
      holdings: [{ holder_id: 3, label: '1号楼 1单元101', answered: false }],
      answered: false,
      answers: null,
      submitted_at: null,
      draft: null,
      draft_saved_at: null,
      can_submit: true,
      can_edit: false,
    },
    ...patch,
  }
}

let pinia: Pinia

async function mountPage(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/questionnaires/:id', name: 'questionnaire', component: QuestionnairePage },
      { path: '/questionnaires/:id/edit', name: 'questionnaire-edit', component: { template: '<div />' } },
      { path: '/questionnaires/:id/results', name: 'questionnaire-results', component: { template: '<div />' } },
    ],
  })
  return openAt(QuestionnairePage, router, '/questionnaires/7', pinia)
}

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('QuestionnaireView', () => {
  it('renders the description safely and asks every question with big targets', async () => {
    mockFetch(() => json(200, questionnaire()))
    const wrapper = await mountPage()
    expect(wrapper.get('[data-testid="questionnaire-title"]').text()).toBe('养犬情况调查')
    const body = wrapper.get('[data-testid="vote-body"]')
    expect(body.find('strong').text()).toBe('公约')
    expect(body.find('img').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="answer-field"]')).toHaveLength(3)
    expect(wrapper.findAll('[data-testid="answer-option"]').map((b) => b.text())).toEqual(['养犬', '不养犬'])
    expect(wrapper.findAll('[data-testid^="answer-rating-"]')).toHaveLength(5)
    expect(wrapper.get('[data-testid="questionnaire-in-steps"]').text()).toContain('每满 5 份')
    wrapper.unmount()
  })

  it('says nothing of steps for a named questionnaire', async () => {
    mockFetch(() => json(200, questionnaire({ anonymous: false })))
    const wrapper = await mountPage()
    expect(wrapper.find('[data-testid="questionnaire-in-steps"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('refuses to send with required questions blank, then sends once and confirms', async () => {
    const calls = mockFetch((req) => {
      if (req.method === 'POST') return json(201, { questionnaire_id: 7, submitted: true, can_edit: false })
      if (req.method === 'PUT') return json(200, { saved_at: '2026-11-22T03:00:00Z' })
      return json(200, questionnaire())
    })
    const wrapper = await mountPage()
    await wrapper.get('[data-testid="answer-submit"]').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect(wrapper.findAll('[data-testid="answer-error"]')).toHaveLength(2)

    await wrapper.findAll('[data-testid="answer-option"]')[1]!.trigger('click')
    await wrapper.get('[data-testid="answer-rating-4"]').trigger('click')
    await wrapper.get('[data-testid="answer-save-draft"]').trigger('click')
    await flushPromises()
    const put = calls.find((c) => c.method === 'PUT') as RecordedRequest
    expect(put.path).toBe('/questionnaires/7/draft')
    expect(put.body).toEqual({ answers: [{ choices: [1] }, { rating: 4 }, {}] })

    await wrapper.get('[data-testid="answer-submit"]').trigger('click')
    await flushPromises()
    const posts = calls.filter((c) => c.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.path).toBe('/questionnaires/7/answers')
    expect(posts[0]?.body).toEqual({ answers: [{ choices: [1] }, { rating: 4 }, {}], holder_id: 3 })
    expect(wrapper.get('[data-testid="answer-done"]').text()).toContain('提交成功')
    expect(wrapper.get('[data-testid="answer-done"]').text()).toContain('匿名')
    wrapper.unmount()
  })

  it('shows the server naming a question under that question', async () => {
    mockFetch((req) =>
      req.method === 'POST'
        ? apiError(422, 'validation_failed', 'answers[1]: rate from 1 to 5', { fields: { 'answers[1]': '请打 1 至 5 分' } })
        : json(200, questionnaire()),
    )
    const wrapper = await mountPage()
    await wrapper.findAll('[data-testid="answer-option"]')[0]!.trigger('click')
    await wrapper.get('[data-testid="answer-rating-5"]').trigger('click')
    await wrapper.get('[data-testid="answer-submit"]').trigger('click')
    await flushPromises()
    const field = wrapper.get('[data-testid="answer-field"][data-index="1"]')
    expect(field.get('[data-testid="answer-error"]').text()).toBe('请打 1 至 5 分')
    wrapper.unmount()
  })

  it('tells an owner who answered that it is done, and shows no form', async () => {
    const my = { ...questionnaire().my, answered: true, can_submit: false, holdings: [{ holder_id: 3, label: '1号楼', answered: true }] }
    mockFetch(() => json(200, questionnaire({ my })))
    const wrapper = await mountPage()
    expect(wrapper.get('[data-testid="already-answered"]').text()).toContain('已填写')
    expect(wrapper.find('[data-testid="answer-submit"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('puts "已填写" first on the page, with when', async () => {
    const my = { ...questionnaire().my, answered: true, can_submit: false, submitted_at: '2026-11-22T03:00:00Z', holdings: [{ holder_id: 3, label: '1号楼', answered: true }] }
    mockFetch(() => json(200, questionnaire({ my })))
    const wrapper = await mountPage()
    const first = wrapper.get('[data-testid="questionnaire-page"]').element.querySelector('.sf-card')
    expect(first?.getAttribute('data-testid')).toBe('already-answered')
    expect(wrapper.get('[data-testid="done-when"]').text()).toMatch(/^提交时间：2026/)
    wrapper.unmount()
  })

  it('says which homes have answered and keeps the form for the others', async () => {
    const holdings = [
      { holder_id: 3, label: '1号楼 1单元101', answered: true },
      { holder_id: 4, label: '2号楼 1单元101', answered: false },
    ]
    mockFetch(() => json(200, questionnaire({ my: { ...questionnaire().my, holdings } })))
    const wrapper = await mountPage()
    const block = wrapper.get('[data-testid="already-answered"]')
    expect(block.attributes('data-complete')).toBe('false')
    expect(block.get('[data-testid="done-title"]').text()).toBe('您的 2 户已填 1 户')
    expect(block.findAll('[data-testid="done-item"]').map((i) => i.attributes('data-done'))).toEqual(['true', 'false'])
    expect(wrapper.find('[data-testid="answer-submit"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('drops the server\'s message on a question once it is answered again', async () => {
    mockFetch((req) =>
      req.method === 'POST'
        ? apiError(422, 'validation_failed', '请检查', { fields: { 'answers[0]': '请选择一项' } })
        : json(200, questionnaire({ questions: [{ kind: 'single', text: '您家是否养犬？', required: false, options: ['养犬', '不养犬'] }] })),
    )
    const wrapper = await mountPage()
    await wrapper.get('[data-testid="answer-submit"]').trigger('click')
    await flushPromises()
    const field = () => wrapper.get('[data-testid="answer-field"][data-index="0"]')
    expect(field().find('[data-testid="answer-error"]').exists()).toBe(true)
    await field().get('[data-testid="answer-option"]').trigger('click')
    expect(field().find('[data-testid="answer-error"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
