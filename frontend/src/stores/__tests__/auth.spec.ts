import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { client, unwrap } from '@/api/client'
import { ApiError } from '@/api/http'
import { ACCESS_KEY, REFRESH_KEY, useAuthStore } from '@/stores/auth'
import { apiError, compoundCan, holding, json, me, membership, mockFetch, tokens } from '@/__tests__/helpers'

beforeEach(() => {
  localStorage.clear()
  vi.unstubAllGlobals()
  setActivePinia(createPinia())
})

/** Signs in with an access token the server calls expired, lets `refresh` answer the refresh, and asks for /me. */
async function meWithExpiredToken(refresh: () => Response): Promise<unknown> {
  mockFetch((req) => (req.path === '/auth/refresh' ? refresh() : apiError(401, 'token_expired', 'expired')))
  useAuthStore().setTokens(tokens(1))
  return client.GET('/api/v1/me').catch((e: unknown) => e)
}

describe('auth store', () => {
  it('login stores both tokens and loads the current user with the new access token', async () => {
    const calls = mockFetch((req) => {
      if (req.path === '/auth/login') return json(200, tokens(1))
      if (req.path === '/me') return json(200, me([], [holding(2, ['89.50'])]))
      return apiError(404, 'not_found', 'no route')
    })
    const auth = useAuthStore()

    await auth.login('owner001', 'sanfang-demo')

    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/login', body: { login: 'owner001', password: 'sanfang-demo' } })
    expect(calls[0]?.headers.get('Authorization')).toBeNull()
    expect(calls[1]?.headers.get('Authorization')).toBe('Bearer access-1')
    expect(localStorage.getItem(ACCESS_KEY)).toBe('access-1')
    expect(localStorage.getItem(REFRESH_KEY)).toBe('refresh-1')
    expect(auth.isLoggedIn).toBe(true)
    expect(auth.isOwner).toBe(true)
    expect(auth.holdings[0]?.units[0]?.area).toBe('89.50')
  })

  it('a failed login stores nothing and throws the server error', async () => {
    mockFetch(() => apiError(401, 'unauthorized', 'wrong login or password'))
    const auth = useAuthStore()

    const error = await auth.login('owner001', 'nope').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(auth.isLoggedIn).toBe(false)
    expect(localStorage.getItem(ACCESS_KEY)).toBeNull()
  })

  it('refresh sends the current refresh token and keeps the rotated one', async () => {
    let issued = 1
    const calls = mockFetch((req) => {
      if (req.path === '/auth/refresh') return json(200, tokens(++issued))
      return apiError(404, 'not_found', 'no route')
    })
    const auth = useAuthStore()
    auth.setTokens(tokens(1))

    expect(await auth.refresh()).toBe(true)
    expect(await auth.refresh()).toBe(true)

    expect(calls.map((c) => c.body)).toEqual([{ refresh_token: 'refresh-1' }, { refresh_token: 'refresh-2' }])
    expect(auth.refreshToken).toBe('refresh-3')
    expect(localStorage.getItem(REFRESH_KEY)).toBe('refresh-3')
    expect(localStorage.getItem(ACCESS_KEY)).toBe('access-3')
  })

  it('concurrent 401s share one refresh and every request is retried with the new token', async () => {
    const calls = mockFetch(async (req) => {
      if (req.path === '/auth/refresh') {
        await new Promise((resolve) => setTimeout(resolve, 10))
        return json(200, tokens(2))
      }
      if (req.headers.get('Authorization') !== 'Bearer access-2') return apiError(401, 'token_expired', 'expired')
      return json(200, { path: req.path })
    })
    const auth = useAuthStore()
    auth.setTokens(tokens(1))

    const vote = (id: number) => unwrap(client.GET('/api/v1/votes/{id}', { params: { path: { id } } }))
    const results = await Promise.all([vote(1), vote(2), vote(3)])

    expect(results).toEqual([{ path: '/votes/1' }, { path: '/votes/2' }, { path: '/votes/3' }])
    expect(calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(1)
    const retried = calls.filter((c) => c.path !== '/auth/refresh' && c.headers.get('Authorization') === 'Bearer access-2')
    expect(retried.map((c) => c.path).sort()).toEqual(['/votes/1', '/votes/2', '/votes/3'])
    expect(auth.refreshToken).toBe('refresh-2')
  })

  it('a request whose 401 arrives after the tokens were rotated retries without refreshing again', async () => {
    const auth = useAuthStore()
    auth.setTokens(tokens(1))
    const calls = mockFetch((req) => {
      if (req.path === '/auth/refresh') return json(200, tokens(3))
      if (req.headers.get('Authorization') === 'Bearer access-1') {
        // While this request was in flight another one refreshed the session.
        auth.setTokens(tokens(2))
        return apiError(401, 'token_expired', 'expired')
      }
      return json(200, { ok: true })
    })

    expect(await unwrap(client.GET('/api/v1/me'))).toEqual({ ok: true })

    expect(calls.map((c) => [c.path, c.headers.get('Authorization')])).toEqual([
      ['/me', 'Bearer access-1'],
      ['/me', 'Bearer access-2'],
    ])
    expect(auth.refreshToken).toBe('refresh-2')
  })

  it('a refused refresh ends the session and the request fails with the 401', async () => {
    const error = await meWithExpiredToken(() => apiError(401, 'unauthorized', 'refresh token spent'))
    const auth = useAuthStore()

    expect(error).toMatchObject({ status: 401, code: 'token_expired' })
    expect(auth.isLoggedIn).toBe(false)
    expect(localStorage.getItem(ACCESS_KEY)).toBeNull()
    expect(localStorage.getItem(REFRESH_KEY)).toBeNull()
  })

  it('a network failure during refresh keeps the session', async () => {
    const error = await meWithExpiredToken(() => {
      throw new TypeError('Failed to fetch')
    })
    const auth = useAuthStore()

    expect(error).toMatchObject({ status: 0, code: 'network_error' })
    expect(auth.isLoggedIn).toBe(true)
    expect(auth.refreshToken).toBe('refresh-1')
  })

  it('logout revokes the refresh token on the server and forgets the session', async () => {
    const calls = mockFetch(() => json(204, null))
    const auth = useAuthStore()
    auth.setTokens(tokens(5))

    await auth.logout()

    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/logout', body: { refresh_token: 'refresh-5' } })
    expect(auth.isLoggedIn).toBe(false)
    expect(localStorage.getItem(REFRESH_KEY)).toBeNull()
  })

  it('answers what the server allows in a compound or community, and nothing before it has said', () => {
    const auth = useAuthStore()
    expect(auth.compoundCan(2).manage_votes).toBe(false)
    auth.me = me([membership('committee_chair', { community_id: 1, compound_id: 2 }), membership('secretary', { community_id: 9 })], [], {
      compounds: { 2: { manage_votes: true }, 40: { view_audit: true } },
      communities: { 9: { recover_accounts: true } },
    })

    expect(auth.compoundCan(2).manage_votes).toBe(true)
    expect(auth.compoundCan(2).view_audit).toBe(false)
    expect(auth.compoundCan(40).view_audit).toBe(true)
    expect(auth.compoundCan(3).manage_votes).toBe(false)
    expect(auth.communityCan(9).recover_accounts).toBe(true)
    expect(auth.communityCan(1).recover_accounts).toBe(false)
    expect(auth.manageTarget).toBe('/compounds/2')
  })

  it('gives an administrator what the server allows everywhere', () => {
    const auth = useAuthStore()
    auth.me = me([membership('admin')], [], { can: { manage_tenancy: true, compound: compoundCan({ manage_votes: true }) } })
    expect(auth.compoundCan(77).manage_votes).toBe(true)
    expect(auth.compoundCan(77).count_paper).toBe(false)
    expect(auth.manageTarget).toBe('/admin')
  })
})
