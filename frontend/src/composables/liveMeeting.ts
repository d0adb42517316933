import { onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref, type ShallowRef } from 'vue'
import { client } from '@/api/client'
import { ApiError } from '@/api/http'
import type { LiveState } from '@/api/meetings'
import { SseParser } from '@/utils/sse'

/** Opens the event stream of meeting `id`; rejects with an ApiError when the server refuses. */
export type OpenStream = (id: number, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>

export interface LiveOptions {
  /** How the stream is opened: by default through the API client, which sends the current token and renews it on a 401. */
  open?: OpenStream
  /** The waits before each reconnection after a failure, in ms; the last one repeats. */
  retryDelays?: readonly number[]
}

export interface LiveMeeting {
  /** The meeting as the room sees it now; null until the first event. */
  state: ShallowRef<LiveState | null>
  /** Whether the stream is open now. */
  connected: Ref<boolean>
  /** A refusal that reconnecting would not mend (the meeting is gone or not the reader's to see). */
  error: ShallowRef<ApiError | null>
  /** Stops following (also done when the component goes). */
  stop: () => void
}

const RETRY_DELAYS = [1_000, 2_000, 5_000, 10_000, 30_000]
/** A stream that lasted this long ended as planned (the server ends it every 15 minutes): reconnect at once. */
const HEALTHY_MS = 10_000

/**
 * Follows a live meeting over server-sent events. EventSource cannot send the Authorization header, so
 * the stream is read with fetch: each reconnection sends the session's current token (renewed by the
 * API client on a 401). A stream that ends or fails is opened again, at once after a long healthy one,
 * otherwise after a growing wait; a 403 or 404 ends the following.
 */
export function useLiveMeeting(id: MaybeRefOrGetter<number>, options: LiveOptions = {}): LiveMeeting {
  const open = options.open ?? openLive
  const delays = options.retryDelays ?? RETRY_DELAYS
  const state = shallowRef<LiveState | null>(null)
  const connected = ref(false)
  const error = shallowRef<ApiError | null>(null)
  let controller: AbortController | null = null

  async function follow(meetingId: number, signal: AbortSignal): Promise<void> {
    let failures = 0
    while (!signal.aborted) {
      const started = Date.now()
      try {
        const stream = await open(meetingId, signal)
        connected.value = true
        await read(stream, signal, (next) => {
          if (next.meeting_id === meetingId) state.value = next
        })
      } catch (e) {
        if (signal.aborted) return
        if (e instanceof ApiError && [403, 404].includes(e.status)) {
          error.value = e
          connected.value = false
          return
        }
        console.warn('live meeting: the stream failed', e)
      }
      connected.value = false
      if (signal.aborted) return
      const healthy = Date.now() - started >= HEALTHY_MS
      failures = healthy ? 0 : failures + 1
      await sleep(healthy ? 0 : (delays[Math.min(failures, delays.length) - 1] ?? 0), signal)
    }
  }

  function start(meetingId: number): void {
    stop()
    error.value = null
    if (!Number.isFinite(meetingId) || meetingId <= 0) return
    controller = new AbortController()
    void follow(meetingId, controller.signal)
  }

  function stop(): void {
    controller?.abort()
    controller = null
    connected.value = false
  }

  watch(() => toValue(id), start, { immediate: true })
  onScopeDispose(stop)
  return { state, connected, error, stop }
}

/** Reads `stream` to its end, handing each `state` event's meeting to `onState`. */
async function read(stream: ReadableStream<Uint8Array>, signal: AbortSignal, onState: (s: LiveState) => void): Promise<void> {
  const parser = new SseParser(({ event, data }) => {
    if (event !== 'state') return
    try {
      onState(JSON.parse(data) as LiveState)
    } catch (e) {
      console.warn('live meeting: an unreadable state', e)
    }
  })
  const reader = stream.getReader()
  const cancel = () => void reader.cancel().catch(() => undefined)
  signal.addEventListener('abort', cancel, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done || signal.aborted) break
      parser.push(value)
    }
  } finally {
    signal.removeEventListener('abort', cancel)
    parser.end()
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

async function openLive(id: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const { data, response } = await client.GET('/api/v1/meetings/{id}/live', { params: { path: { id } }, parseAs: 'stream', signal })
  if (!data) throw new ApiError(response.status, 'empty_response', response.statusText || 'empty response')
  return data
}
