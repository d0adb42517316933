import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { ConventionTemplate } from '@/api/conventions'
import { useAuthStore } from '@/stores/auth'
import ConventionNewView from '@/views/ConventionNewView.vue'
import { conventionFixture } from '@/__tests__/conventions'
import { apiError, freshPage, json, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

let pinia: Pinia

const TEMPLATE: ConventionTemplate = { key: 'residents', kind: 'residents', title: '居民公约', summary: '居民公约范本', preamble: '', chapters: [] }

function router(): Router {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compounds/:id/conventions/new', name: 'convention-new', component: ConventionNewView },
      { path: '/communities/:id/conventions/new', name: 'community-convention-new', component: ConventionNewView },
      { path: '/conventions/:id/edit', name: 'convention-edit', component: stub },
    ],
  })
}

function serve(): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.path === '/convention-templates') return json(200, [TEMPLATE])
    if (req.method === 'POST') return json(201, conventionFixture({ enforcer: (req.body as { enforcer: 'community_office' }).enforcer }))
    return apiError(404, 'not_found', '没有找到')
  })
}

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('ConventionNewView: the party that enforces it', () => {
  it('is the property company unless the drafters choose another, and is sent with the new convention', async () => {
    const calls = serve()
    const r = router()
    const w = await openAt(ConventionNewView, r, '/communities/1/conventions/new', pinia)
    const parties = w.findAll('[data-testid="convention-enforcer-picker"] .van-radio')
    expect(parties.map((p) => p.attributes('data-testid'))).toEqual(['convention-enforcer-property_company', 'convention-enforcer-owners_committee', 'convention-enforcer-community_office'])
    expect(parties.map((p) => p.attributes('aria-checked'))).toEqual(['true', 'false', 'false'])
    await w.get('[data-testid="convention-enforcer-community_office"]').trigger('click')
    await w.get('form').trigger('submit')
    await settle()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.path).toBe('/communities/1/conventions')
    expect(post?.body).toEqual({ kind: 'residents', title: '居民公约', template: 'residents', enforcer: 'community_office' })
    expect(r.currentRoute.value.fullPath).toBe('/conventions/9/edit')
  })
})
