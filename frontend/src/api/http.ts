import type { RowError } from './types'

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
