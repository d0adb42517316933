import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import type { MembershipView } from '@/api/types'
import { createAppRouter } from '@/router'
import { useAuthStore } from '@/stores/auth'
import { type Access, compoundCan, json, me, membership, mockFetch, tokens } from '@/__tests__/helpers'

let router: Router

beforeEach(() => {
  localStorage.clear()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
  setActivePinia(createPinia())
  router = createAppRouter(createMemoryHistory())
})

function loginAs(memberships: MembershipView[] = [], access: Access = {}): void {
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  auth.me = me(memberships, [], access)
}

async function go(path: string): Promise<string> {
  await router.push(path)
  return router.currentRoute.value.fullPath
}

describe('router guard', () => {
  it('sends visitors to the login page and remembers where they were going', async () => {
    expect(await go('/compounds/2/roster')).toBe('/login?redirect=/compounds/2/roster')
    expect(await go('/register')).toBe('/register')
  })

  it('keeps logged-in users away from the login page', async () => {
    loginAs()
    expect(await go('/login')).toBe('/')
  })

  it('loads the current user before checking what the server allows', async () => {
    const calls = mockFetch(() => json(200, me([membership('admin')], [], { can: { manage_tenancy: true } })))
    useAuthStore().setTokens(tokens(1))

    expect(await go('/admin/users')).toBe('/admin/users')
    expect(calls.map((c) => c.path)).toEqual(['/me'])
  })

  it('turns away users the server does not allow what the page is for', async () => {
    loginAs([membership('property_manager', { community_id: 1, compound_id: 2 })], { compounds: { 2: { view_roster: true } } })

    expect(await go('/admin')).toBe('/')
    expect(await go('/compounds/2/roster')).toBe('/')
    expect(await go('/compounds/2/units')).toBe('/compounds/2/units')
    expect(document.body.textContent).toContain('您没有权限访问此内容')
  })

  it('reads the flags of the compound in the URL', async () => {
    loginAs([membership('committee_member', { community_id: 1, compound_id: 2 })], {
      compounds: { 2: { view_roster: true, import_roster: true } },
    })

    expect(await go('/compounds/2/roster')).toBe('/compounds/2/roster')
    expect(await go('/compounds/3/roster')).toBe('/')
    expect(await go('/compounds/3/holders')).toBe('/')
  })

  it('reads the flags of the community in the URL, and those of everywhere for unscoped pages', async () => {
    loginAs([membership('secretary', { community_id: 1 })], {
      can: { view_audit: true },
      compounds: { 2: { import_roster: true } },
      communities: { 1: { view_community: true, view_concern_dashboard: true } },
    })

    expect(await go('/community/1')).toBe('/community/1')
    expect(await go('/community/1/dashboard')).toBe('/community/1/dashboard')
    expect(await go('/community/5')).toBe('/')
    expect(await go('/compounds/2/roster')).toBe('/compounds/2/roster')
    expect(await go('/audit')).toBe('/audit')
    expect(await go('/admin')).toBe('/')
  })

  it('lets an administrator into any compound the server allows everywhere', async () => {
    loginAs([membership('admin')], { can: { manage_tenancy: true, compound: compoundCan({ manage_votes: true }) } })

    expect(await go('/admin')).toBe('/admin')
    expect(await go('/compounds/77/votes/new')).toBe('/compounds/77/votes/new')
    expect(await go('/compounds/77/proxies')).toBe('/')
  })

  it('gives an owner without staff roles only the pages every user has', async () => {
    loginAs()

    expect(await go('/units')).toBe('/units')
    expect(await go('/redeem')).toBe('/redeem')
    expect(await go('/audit')).toBe('/')
    expect(await go('/compounds/2/units')).toBe('/')
  })

  it('lets an owner raise a concern where the server allows it, and an administrator nowhere', async () => {
    loginAs([membership('owner', { community_id: 1, compound_id: 2 })], { compounds: { 2: { raise_concern: true } } })
    mockFetch(() => json(200, {}))
    expect(await go('/compounds/2/concerns/new')).toBe('/compounds/2/concerns/new')
    expect(await go('/compounds/3/concerns/new')).toBe('/')

    loginAs([membership('admin')], { can: { manage_tenancy: true } })
    await go('/units')
    expect(await go('/compounds/2/concerns/new')).toBe('/')
  })

  it('opens vote management and ballot handling by their own flags', async () => {
    loginAs([membership('property_manager', { community_id: 1, compound_id: 2 })], { compounds: { 2: { view_roster: true } } })
    expect(await go('/compounds/2/votes')).toBe('/compounds/2/votes')
    expect(await go('/compounds/2/votes/new')).toBe('/')
    expect(await go('/compounds/2/proxies')).toBe('/')

    loginAs([membership('committee_chair', { community_id: 1, compound_id: 2 })], { compounds: { 2: { manage_votes: true, count_paper: true } } })
    expect(await go('/compounds/2/votes/new')).toBe('/compounds/2/votes/new')
    expect(await go('/compounds/3/votes/new')).toBe('/')
    expect(await go('/compounds/2/proxies')).toBe('/compounds/2/proxies')

    loginAs([membership('community_staff', { community_id: 1 })], { compounds: { 2: { count_paper: true } } })
    expect(await go('/compounds/2/votes/new')).toBe('/')
    expect(await go('/compounds/2/proxies')).toBe('/compounds/2/proxies')
  })

  it('lets every signed-in user reach the inbox and a vote; the server decides what they see there', async () => {
    loginAs()
    const calls = mockFetch(() => json(200, {}))
    expect(await go('/inbox')).toBe('/inbox')
    expect(await go('/votes/7')).toBe('/votes/7')
    // The vote's own read starts as the navigation begins, not once the page has loaded.
    expect(calls.map((c) => `${c.method} ${c.path}`)).toContain('GET /votes/7')
    expect(await go('/votes/7/ballots?receipt=K7QMA-4XPBZ')).toBe('/votes/7/ballots?receipt=K7QMA-4XPBZ')
    expect(await go('/compounds/2/votes/new')).toBe('/')
  })

  it('lets visitors reset their password with a recovery code, and sends signed-in users home from it', async () => {
    expect(await go('/recover')).toBe('/recover')
    loginAs()
    await go('/units')
    expect(await go('/recover')).toBe('/')
  })

  it('opens the confirmations screen to those the server lets verify owners there', async () => {
    const cases: [Access, string, string][] = [
      [{ compounds: { 2: { view_roster: true } } }, '/compounds/2/confirmations', '/'],
      [{ compounds: { 2: { verify_owners: true } } }, '/compounds/2/confirmations', '/compounds/2/confirmations'],
      [{ compounds: { 2: { verify_owners: true } } }, '/compounds/3/confirmations', '/'],
      [{ can: { compound: compoundCan({ verify_owners: true }) } }, '/compounds/3/confirmations', '/compounds/3/confirmations'],
      [{}, '/compounds/2/confirmations', '/'],
    ]
    for (const [access, path, landed] of cases) {
      loginAs([], access)
      await go('/units')
      expect(await go(path), `${JSON.stringify(access)} → ${path}`).toBe(landed)
    }
  })

  it('opens my homes from a notice about my account', async () => {
    loginAs()
    expect(await go('/me')).toBe('/units')
  })

  it('sends the user to log in when the session cannot be loaded', async () => {
    mockFetch((req) => json(401, { error: { code: 'unauthorized', message: req.path } }))
    useAuthStore().setTokens(tokens(1))

    expect(await go('/settings')).toBe('/login?redirect=/settings')
    expect(useAuthStore().isLoggedIn).toBe(false)
  })
})
