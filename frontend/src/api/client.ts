import { useAuthStore } from '@/stores/auth'
import { ApiError, readJson, send, type QueryValue, type SendOptions } from './http'

type Query = Record<string, QueryValue>

/**
 * Sends a request with the access token. On a 401 it refreshes the tokens once
 * (concurrent requests share that refresh) and retries; when the session cannot
 * be renewed it is cleared, which sends the app back to the login page.
 */
async function authorized(method: string, path: string, opts: Omit<SendOptions, 'token'>): Promise<Response> {
  const auth = useAuthStore()
  const token = auth.accessToken
  try {
    return await send(method, path, { ...opts, token })
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    if (!token) {
      auth.clearSession()
      throw e
    }
    // Another request may have rotated the tokens while this one was in flight.
    const renewed = (auth.accessToken !== null && auth.accessToken !== token) || (await auth.refresh())
    if (!renewed || !auth.accessToken) {
      auth.clearSession()
      throw e
    }
    try {
      return await send(method, path, { ...opts, token: auth.accessToken })
    } catch (retryError) {
      if (retryError instanceof ApiError && retryError.status === 401) auth.clearSession()
      throw retryError
    }
  }
}

/** The authenticated API client; paths are relative to /api/v1. */
export const api = {
  async get<T>(path: string, query?: Query): Promise<T> {
    return readJson<T>(await authorized('GET', path, { query }))
  },
  async post<T>(path: string, json?: unknown): Promise<T> {
    return readJson<T>(await authorized('POST', path, { json }))
  },
  async postVoid(path: string, json?: unknown): Promise<void> {
    await authorized('POST', path, { json })
  },
  async put<T>(path: string, json: unknown): Promise<T> {
    return readJson<T>(await authorized('PUT', path, { json }))
  },
  async putVoid(path: string, json: unknown): Promise<void> {
    await authorized('PUT', path, { json })
  },
  async patch<T>(path: string, json: unknown): Promise<T> {
    return readJson<T>(await authorized('PATCH', path, { json }))
  },
  async del(path: string): Promise<void> {
    await authorized('DELETE', path, {})
  },
  /** Fetches a file (a CSV export) with the session's token. */
  async blob(path: string): Promise<Blob> {
    return (await authorized('GET', path, {})).blob()
  },
  /** Posts a file as the raw request body. */
  async upload<T>(path: string, file: Blob, contentType: string, query?: Query): Promise<T> {
    return readJson<T>(await authorized('POST', path, { raw: { data: file, contentType }, query }))
  },
}
