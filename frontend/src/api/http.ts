import type { RowError } from './types'

export const API_BASE = '/api/v1'

/** An error answered by the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields?: Record<string, string>
  readonly rows?: RowError[]
  /** Seconds to wait, from a 429's Retry-After header. */
  readonly retryAfter?: number
  /** Whether the server wrote the message (in the reader's language); otherwise nobody wrote it for people. */
  readonly fromServer: boolean

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { fields?: Record<string, string>; rows?: RowError[]; retryAfter?: number; fromServer?: boolean } = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fromServer = extra.fromServer ?? false
    if (extra.fields) this.fields = extra.fields
    if (extra.rows) this.rows = extra.rows
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter
  }
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'too_many_requests',
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseFields(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined
  const fields: Record<string, string> = {}
  for (const [key, message] of Object.entries(value)) {
    if (typeof message === 'string') fields[key] = message
    else if (Array.isArray(message)) fields[key] = message.filter((m) => typeof m === 'string').join('；')
  }
  return Object.keys(fields).length > 0 ? fields : undefined
}

function parseRows(value: unknown): RowError[] | undefined {
  if (!Array.isArray(value)) return undefined
  const rows: RowError[] = []
  for (const row of value) {
    if (isRecord(row) && typeof row.line === 'number' && typeof row.message === 'string') {
      rows.push({ line: row.line, field: typeof row.field === 'string' ? row.field : null, message: row.message })
    }
  }
  return rows
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    // A proxy or crash page answers in HTML; the status still tells what happened.
    if (e instanceof SyntaxError) return undefined
    throw e
  }
}

/** Builds an ApiError from a failed response, reading `{"error":{code,message,fields?,rows?}}`. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text()
  const body = text ? parseJson(text) : undefined
  const retryHeader = res.headers.get('Retry-After')
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined
  const fallbackCode = STATUS_CODES[res.status] ?? (res.status >= 500 ? 'internal' : `http_${res.status}`)
  if (isRecord(body) && isRecord(body.error)) {
    const err = body.error
    const code = typeof err.code === 'string' && err.code ? err.code : fallbackCode
    const written = typeof err.message === 'string' && err.message ? err.message : null
    return new ApiError(res.status, code, written ?? (res.statusText || code), {
      fields: parseFields(err.fields),
      rows: parseRows(err.rows),
      retryAfter,
      fromServer: written !== null,
    })
  }
  return new ApiError(res.status, fallbackCode, res.statusText || fallbackCode, { retryAfter })
}

export type QueryValue = string | number | boolean | null | undefined

export interface SendOptions {
  query?: Record<string, QueryValue>
  /** Serialised as JSON. */
  json?: unknown
  /** Sent as is, for file uploads. */
  raw?: { data: Blob; contentType: string }
  token?: string | null
  signal?: AbortSignal
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

/** One HTTP exchange with the API. Resolves with the response when it is 2xx, throws ApiError otherwise. */
export async function send(method: string, path: string, opts: SendOptions = {}): Promise<Response> {
  // The server writes its text for people (errors, notices, timelines) in the app's language,
  // unless the signed-in account saved one; the settings store keeps the two the same.
  const lang = typeof document !== 'undefined' && document.documentElement.lang ? document.documentElement.lang : 'zh-CN'
  const headers = new Headers({ Accept: 'application/json', 'Accept-Language': lang })
  let body: BodyInit | undefined
  if (opts.raw) {
    headers.set('Content-Type', opts.raw.contentType)
    body = opts.raw.data
  } else if (opts.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(opts.json)
  }
  if (opts.token) headers.set('Authorization', `Bearer ${opts.token}`)
  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e))
  }
  if (!res.ok) throw await errorFromResponse(res)
  return res
}

export async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T
}
