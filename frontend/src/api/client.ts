import createClient, { type FetchOptions, type FetchResponse, type ParseAs } from 'openapi-fetch'
import { ApiError, errorFromResponse } from './http'
import type { paths } from './schema'

/** The API's paths, as generated from the OpenAPI document (`schema.d.ts`). */
export type { paths }

/**
 * The session the client sends requests for. The auth store registers one with
 * `useTokenHolder`, so the client never imports the store.
 */
export interface TokenHolder {
  /** The access token to send, or null when signed out. */
  accessToken(): string | null
  /**
   * Trades the refresh token for new ones (concurrent callers share one request);
   * resolves false when the server refuses. Network and server faults are thrown.
   */
  refresh(): Promise<boolean>
  /** Forgets the session, which sends the app back to the login page. */
  clear(): void
}

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete'
/** The paths that take `M`. */
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never }[keyof paths]
/** The operation `M` on `P`. */
type Operation<P extends keyof paths, M extends Method> = paths[P] extends { [K in M]: infer O } ? O : never
type Init<O, A extends ParseAs> = FetchOptions<O> & { parseAs?: A }
/** The options, required when the operation has a required parameter or body. */
type InitArgs<O, A extends ParseAs> = object extends FetchOptions<O> ? [init?: Init<O, A>] : [init: Init<O, A>]

/**
 * One method of the client. Unlike openapi-fetch's own signature (which infers the options from the
 * argument and adds an index signature), the options here are typed from the path alone, so a
 * misspelt parameter or body field is an excess property, hence an error.
 */
type Call<M extends Method> = <P extends PathsWith<M>, A extends ParseAs = 'json'>(
  path: P,
  ...init: InitArgs<Operation<P, M>, A>
) => Promise<FetchResponse<Operation<P, M> & Record<string, unknown>, { parseAs: A }, `${string}/${string}`>>

/** The API client's methods, one per HTTP method, each typed by path. */
export interface ApiClient {
  GET: Call<'get'>
  PUT: Call<'put'>
  POST: Call<'post'>
  PATCH: Call<'patch'>
  DELETE: Call<'delete'>
}

let holder: TokenHolder | null = null

/** Registers the session whose token the client sends. */
export function useTokenHolder(tokens: TokenHolder): void {
  holder = tokens
}

/** Query strings leave out empty filters, as the server reads an absent one as "any". */
function querySerializer(query: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  return params.toString()
}

/**
 * The request openapi-fetch builds, keeping the options it was made with: its body is sent as it was
 * given (a JSON string or a file), and can be sent again after a refresh.
 */
class ApiRequest extends Request {
  readonly init: RequestInit
  constructor(input: RequestInfo | URL, init: RequestInit = {}) {
    super(input, init)
    this.init = init
  }
}

/** One exchange: resolves with a 2xx response, throws ApiError otherwise (status 0 when the server was not reached). */
async function send(request: Request, token: string | null): Promise<Response> {
  if (!(request instanceof ApiRequest)) throw new TypeError('the API client sends only the requests it builds')
  const headers = new Headers(request.headers)
  // The server writes its text for people (errors, notices, timelines) in the app's language,
  // unless the signed-in account saved one; the settings store keeps the two the same.
  const lang = typeof document !== 'undefined' && document.documentElement.lang ? document.documentElement.lang : 'zh-CN'
  headers.set('Accept', 'application/json')
  headers.set('Accept-Language', lang)
  if (token) headers.set('Authorization', `Bearer ${token}`)
  let res: Response
  try {
    res = await globalThis.fetch(request.url, { ...request.init, method: request.method, headers })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e))
  }
  if (!res.ok) throw await errorFromResponse(res)
  return res
}

/**
 * Sends a request with the session's access token. On a 401 it refreshes the
 * tokens once (concurrent requests share that refresh) and retries; when the
 * session cannot be renewed it is cleared.
 */
async function authorizedFetch(request: Request): Promise<Response> {
  const token = holder?.accessToken() ?? null
  try {
    return await send(request, token)
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401 || !holder) throw e
    if (!token) {
      holder.clear()
      throw e
    }
    // Another request may have rotated the tokens while this one was in flight.
    const current = holder.accessToken()
    const renewed = (current !== null && current !== token) || (await holder.refresh())
    const next = holder.accessToken()
    if (!renewed || !next) {
      holder.clear()
      throw e
    }
    try {
      return await send(request, next)
    } catch (retryError) {
      if (retryError instanceof ApiError && retryError.status === 401) holder.clear()
      throw retryError
    }
  }
}

/** Session requests (sign-in, refresh, sign-out, recovery): no stored token, and a 401 is final. */
async function sessionFetch(request: Request): Promise<Response> {
  return send(request, null)
}

/** GETs started before the page asked for them (see `warm`), by URL; each is taken once. */
const warmed = new Map<string, Promise<Response>>()
/** How long a warmed answer waits to be taken before it is dropped as stale. */
const WARM_MS = 10_000

/**
 * Starts the GET of `path` (the API path with its query) now, with the session's token, so that the
 * page that asks for it next finds it on its way: a cold page's own data then loads while its code
 * does, rather than after. Nothing is started without a session.
 */
export function warm(path: string): void {
  if (typeof location === 'undefined' || !holder?.accessToken()) return
  const url = new URL(path, location.origin).href
  if (warmed.has(url)) return
  const answer = authorizedFetch(new ApiRequest(url, { method: 'GET' }))
  // A failure is the taker's to report; one never taken is dropped.
  answer.catch(() => undefined)
  warmed.set(url, answer)
  setTimeout(() => warmed.delete(url), WARM_MS)
}

/** The warmed answer to `request`, if one is on its way (once), else the request sent now. */
function warmOrSend(request: Request): Promise<Response> {
  const answer = request.method === 'GET' ? warmed.get(request.url) : undefined
  if (!answer) return authorizedFetch(request)
  warmed.delete(request.url)
  return answer
}

/**
 * The API client, typed by path and method from the OpenAPI document:
 * `client.GET('/api/v1/votes/{id}', { params: { path: { id } } })`. Any non-2xx
 * answer is thrown as an ApiError, so `error` is never set on a result.
 */
export const client = createClient<paths>({ fetch: warmOrSend, Request: ApiRequest, querySerializer }) as ApiClient

/** The same client for `/api/v1/auth/*`, which never sends the stored token nor refreshes it. */
export const sessionClient = createClient<paths>({ fetch: sessionFetch, Request: ApiRequest, querySerializer }) as ApiClient

/** The data of a successful call: `const vote = await unwrap(client.GET(...))`. */
export async function unwrap<R extends { data?: unknown; response: Response }>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data, response } = await call
  if (data === undefined || data === null) throw new ApiError(response.status, 'empty_response', response.statusText || 'empty response')
  return data as NonNullable<R['data']>
}

/**
 * Sends a file as the raw request body of an upload path (the document describes
 * such bodies as bytes): `client.POST(path, { params, ...rawBody(file) })`.
 */
export function rawBody(file: Blob, contentType = file.type || 'application/octet-stream') {
  return {
    body: [] as number[],
    bodySerializer: () => file,
    headers: { 'Content-Type': contentType },
  }
}
