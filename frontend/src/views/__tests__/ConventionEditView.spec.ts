import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ConventionView } from '@/api/conventions'
import { useAuthStore } from '@/stores/auth'
import ConventionEditView from '@/views/ConventionEditView.vue'
import { conventionFixture } from '@/__tests__/conventions'
import { apiError, freshPage, json, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

let pinia: Pinia

function router() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/conventions/:id', name: 'convention', component: stub },
      { path: '/conventions/:id/edit', name: 'convention-edit', component: ConventionEditView },
    ],
  })
}

function serve(put: (req: RecordedRequest) => Response, convention: ConventionView = conventionFixture()): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.method === 'PUT') return put(req)
    if (req.path === '/conventions/9') return json(200, convention)
    return apiError(404, 'not_found', '没有找到')
  })
}

const labels = (w: VueWrapper) => w.findAll('[data-testid="editor-article"]').map((a) => a.attributes('data-label'))

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('ConventionEditView', () => {
  it('numbers the articles live and sends the ids of those saved before, none for a new one', async () => {
    const calls = serve((req) => json(200, conventionFixture({ version: 3, body: (req.body as { body: ConventionView['body'] }).body })))
    const w = await openAt(ConventionEditView, router(), '/conventions/9/edit', pinia)
    expect(labels(w)).toEqual(['第一条', '第二条', '第三条'])
    expect(w.findAll('[data-testid="editor-chapter"] h2').map((h) => h.text())).toEqual(['章前条文', '第一章'])
    await w.findAll('[data-testid="editor-article-add"]')[0]!.trigger('click')
    expect(labels(w)).toEqual(['第一条', '第二条', '第三条', '第四条'])
    await w.get('[data-testid="editor-article-0-1"]').setValue('犬只应当接种疫苗。')
    await w.get('[data-testid="editor-reason"]').setValue('增加疫苗一条')
    await w.get('form').trigger('submit')
    await settle()
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.body).toEqual({
      version: 2,
      title: '文明养犬公约',
      reason: '增加疫苗一条',
      body: {
        preamble: '为了文明养犬，制定本公约。',
        chapters: [
          { id: 'c1', title: '', articles: [{ id: 'a1', text: '养犬应当登记。' }, { text: '犬只应当接种疫苗。' }, { id: 'a2', text: '出户应当束犬链。' }] },
          { id: 'c2', title: '附则', articles: [{ id: 'a3', text: '本公约自公布之日起施行。' }] },
        ],
      },
    })
  })

  it('changes only the party that enforces a convention in force, with the text as it was', async () => {
    const inForce = conventionFixture({ status: 'in_force', phase: 'in_force' })
    const calls = serve((req) => json(200, { ...inForce, enforcer: (req.body as { enforcer: ConventionView['enforcer'] }).enforcer }), inForce)
    const w = await openAt(ConventionEditView, router(), '/conventions/9/edit', pinia)
    const picked = () => w.findAll('[data-testid="convention-enforcer-picker"] .van-radio__icon--checked').map((i) => i.element.closest('[data-testid]')?.getAttribute('data-testid'))
    expect(picked()).toEqual(['convention-enforcer-property_company'])
    expect(w.get('[data-testid="convention-enforcer-picker"]').text()).toContain('业主委员会')
    expect(w.text()).toContain('只改执行方时不会生成新版本')
    await w.get('[data-testid="convention-enforcer-owners_committee"]').trigger('click')
    expect(picked()).toEqual(['convention-enforcer-owners_committee'])
    await w.get('form').trigger('submit')
    await settle()
    // The text goes back as it was read: the server saves no new version for it.
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ version: 2, title: '文明养犬公约', reason: null, enforcer: 'owners_committee', body: inForce.body })
  })

  it('shows the server’s message at the article it names, and says when another version was saved meanwhile', async () => {
    let answer = apiError(422, 'validation_failed', '请检查', { fields: { 'chapters[1].articles[0].text': '条文太长了' } })
    serve(() => answer)
    const w = await openAt(ConventionEditView, router(), '/conventions/9/edit', pinia)
    await w.get('form').trigger('submit')
    await settle()
    const third = w.findAll('[data-testid="editor-article"]')[2]!
    expect(third.classes()).toContain('sf-ceditor__article--error')
    expect(third.text()).toContain('条文太长了')
    answer = apiError(409, 'convention_changed', '已有新版本')
    await w.get('form').trigger('submit')
    await settle()
    expect(w.find('[data-testid="editor-overtaken"]').exists()).toBe(true)
  })
})
