import { afterEach, describe, expect, it, vi } from 'vitest'
import { client, rawBody, sessionClient, unwrap, useTokenHolder, warm } from '@/api/client'
import { apiError, json, mockFetch } from '@/__tests__/helpers'

afterEach(() => {
  vi.unstubAllGlobals()
  document.documentElement.lang = ''
})

describe('client', () => {
  it('throws a network_error ApiError with status 0 when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    await expect(client.GET('/api/v1/health')).rejects.toMatchObject({ status: 0, code: 'network_error' })
  })

  it('throws the parsed error for a non-2xx answer and returns the data otherwise', async () => {
    mockFetch((req) =>
      req.method === 'POST' ? apiError(409, 'already_linked', '该账号已绑定') : json(200, { status: 'ok' }),
    )
    const link = client.POST('/api/v1/holders/{id}/links', { params: { path: { id: 1 } }, body: { login: 'x' } })
    await expect(link).rejects.toMatchObject({ status: 409, code: 'already_linked', message: '该账号已绑定' })
    expect(await unwrap(client.GET('/api/v1/health'))).toEqual({ status: 'ok' })
  })

  it('sends the path, query, JSON body and the reader’s language', async () => {
    document.documentElement.lang = 'en'
    const calls = mockFetch(() => json(200, []))
    await client.GET('/api/v1/compounds/{id}/units', { params: { path: { id: 2 }, query: { building_id: null, q: '' } } })
    await client.GET('/api/v1/users', { params: { query: { q: '2-301 王' } } })
    await client.POST('/api/v1/votes/{id}/cancel', { params: { path: { id: 7 } }, body: { reason: '改期' } })

    expect(calls.map((c) => [c.method, c.path, c.query.toString()])).toEqual([
      ['GET', '/compounds/2/units', ''],
      ['GET', '/users', 'q=2-301+%E7%8E%8B'],
      ['POST', '/votes/7/cancel', ''],
    ])
    expect(calls[2]?.body).toEqual({ reason: '改期' })
    expect(calls[0]?.headers.get('Accept-Language')).toBe('en')
  })

  it('sends a file as the raw body with its content type', async () => {
    const calls = mockFetch(() => json(201, { id: 5 }))
    const file = new File(['楼栋,房号'], 'roster.csv', { type: 'text/csv' })
    await client.POST('/api/v1/compounds/{id}/roster', {
      params: { path: { id: 2 }, query: { dry_run: true } },
      ...rawBody(file),
    })

    expect(calls[0]?.query.get('dry_run')).toBe('true')
    expect(calls[0]?.headers.get('Content-Type')).toBe('text/csv')
    expect(await (calls[0]?.body as Blob).text()).toBe('楼栋,房号')
  })

  it('sends the registered token, and the session client never does', async () => {
    useTokenHolder({ accessToken: () => 'access-1', refresh: () => Promise.resolve(false), clear: () => {} })
    const calls = mockFetch(() => json(200, {}))
    await client.GET('/api/v1/me')
    await sessionClient.POST('/api/v1/auth/recover', { body: { login: 'a', recovery_code: 'b', new_password: 'c' } })

    expect(calls.map((c) => c.headers.get('Authorization'))).toEqual(['Bearer access-1', null])
  })

  it('after a refresh sends the same body again with the new token', async () => {
    let token = 'access-1'
    const refresh = () => {
      token = 'access-2'
      return Promise.resolve(true)
    }
    useTokenHolder({ accessToken: () => token, refresh, clear: () => {} })
    const calls = mockFetch((req) =>
      req.headers.get('Authorization') === 'Bearer access-2' ? json(200, { id: 7 }) : apiError(401, 'token_expired', 'expired'),
    )
    const photo = new File(['jpeg'], 'leak.jpg', { type: 'image/jpeg' })
    await client.POST('/api/v1/votes/{id}/cancel', { params: { path: { id: 7 } }, body: { reason: '改期' } })
    token = 'access-1'
    await client.POST('/api/v1/concerns/{id}/photos', { params: { path: { id: 7 }, query: { name: photo.name } }, ...rawBody(photo) })

    expect(calls.map((c) => c.headers.get('Authorization'))).toEqual(['Bearer access-1', 'Bearer access-2', 'Bearer access-1', 'Bearer access-2'])
    expect(calls[1]?.body).toEqual({ reason: '改期' })
    expect(calls[3]?.headers.get('Content-Type')).toBe('image/jpeg')
    expect(await (calls[3]?.body as Blob).text()).toBe('jpeg')
  })

  it('a page finds its first read under way when navigation warmed it, once, and nothing is warmed without a session', async () => {
    let n = 0
    const calls = mockFetch(() => json(200, { id: 3, n: ++n }))
    useTokenHolder({ accessToken: () => null, refresh: () => Promise.resolve(false), clear: () => {} })
    warm('/api/v1/votes/3')
    expect(calls).toHaveLength(0)

    useTokenHolder({ accessToken: () => 'access-1', refresh: () => Promise.resolve(false), clear: () => {} })
    warm('/api/v1/votes/3')
    warm('/api/v1/votes/3')
    expect(calls).toHaveLength(1)
    expect(calls[0]?.headers.get('Authorization')).toBe('Bearer access-1')
    expect(await unwrap(client.GET('/api/v1/votes/{id}', { params: { path: { id: 3 } } }))).toEqual({ id: 3, n: 1 })
    expect(calls).toHaveLength(1)
    // Taken once: the next read asks the server again.
    expect(await unwrap(client.GET('/api/v1/votes/{id}', { params: { path: { id: 3 } } }))).toEqual({ id: 3, n: 2 })
    expect(calls).toHaveLength(2)
  })
})
