import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { ApiError } from '@/api/http'
import type { LiveState } from '@/api/meetings'
import { useLiveMeeting, type OpenStream } from '@/composables/liveMeeting'

function state(id: number, title: string): LiveState {
  return {
    meeting_id: id,
    kind: 'consultation',
    title,
    status: 'in_progress',
    current: null,
    items: [],
    attendance: {
      present: 0,
      invited: 0,
      parties: [],
      absent_parties: [],
      quorum_present: 0,
      quorum_expected: 0,
      quorum_needed: 0,
      quorum_met: true,
    },
    at: '2026-12-01T08:00:00Z',
  }
}

/** A stream the test writes to, as the server would. */
function fakeStream() {
  let control!: ReadableStreamDefaultController<Uint8Array>
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (control = c) })
  const encoder = new TextEncoder()
  return {
    stream,
    write: (text: string) => control.enqueue(encoder.encode(text)),
    end: () => control.close(),
    fail: () => control.error(new TypeError('network')),
  }
}

const event = (s: LiveState) => `event: state\ndata: ${JSON.stringify(s)}\n\n`
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
  await nextTick()
}

afterEach(() => {
  vi.useRealTimers()
})

describe('useLiveMeeting', () => {
  it('shows the latest state as events arrive, whatever the chunks', async () => {
    const s = fakeStream()
    const open = vi.fn<OpenStream>(async () => s.stream)
    const scope = effectScope()
    const live = scope.run(() => useLiveMeeting(7, { open }))!
    await flush()
    expect(open).toHaveBeenCalledWith(7, expect.any(AbortSignal))
    expect(live.connected.value).toBe(true)

    const first = event(state(7, '第一'))
    s.write(first.slice(0, 20))
    await flush()
    expect(live.state.value).toBeNull()
    s.write(first.slice(20) + ': keep-alive\n\n' + event(state(7, '第二')) + event(state(7, '第三')).slice(0, 30))
    await flush()
    expect(live.state.value?.title).toBe('第二')
    s.write(event(state(7, '第三')).slice(30))
    await flush()
    expect(live.state.value?.title).toBe('第三')
    scope.stop()
  })

  it('reconnects when the stream ends, at once after a long one and after a growing wait after failures', async () => {
    vi.useFakeTimers()
    const streams = [fakeStream(), fakeStream(), fakeStream(), fakeStream()]
    let n = 0
    const open = vi.fn<OpenStream>(async () => {
      const s = streams[n++]
      if (!s) throw new Error('no more')
      return s.stream
    })
    const scope = effectScope()
    const live = scope.run(() => useLiveMeeting(3, { open, retryDelays: [1_000, 4_000] }))!
    await flush()
    streams[0]!.write(event(state(3, 'a')))
    await flush()
    // The server ends the stream after 15 minutes: a new one is opened at once.
    vi.advanceTimersByTime(15 * 60_000)
    streams[0]!.end()
    await flush()
    await vi.advanceTimersByTimeAsync(0)
    await flush()
    expect(open).toHaveBeenCalledTimes(2)

    // It fails at once: the first wait.
    streams[1]!.fail()
    await flush()
    expect(live.connected.value).toBe(false)
    await vi.advanceTimersByTimeAsync(999)
    expect(open).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(open).toHaveBeenCalledTimes(3)

    // Fails again: the longer wait.
    streams[2]!.end()
    await flush()
    await vi.advanceTimersByTimeAsync(3_999)
    expect(open).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(open).toHaveBeenCalledTimes(4)
    streams[3]!.write(event(state(3, 'b')))
    await flush()
    expect(live.state.value?.title).toBe('b')
    expect(live.connected.value).toBe(true)
    scope.stop()
    expect(live.connected.value).toBe(false)
  })

  it('stops on a 404, and follows another meeting when the id changes', async () => {
    const id = ref(1)
    const s = fakeStream()
    const open = vi.fn<OpenStream>(async (meeting) => {
      if (meeting === 1) throw new ApiError(404, 'not_found', 'gone', { fromServer: true })
      return s.stream
    })
    const scope = effectScope()
    const live = scope.run(() => useLiveMeeting(id, { open, retryDelays: [0] }))!
    await flush()
    expect(live.error.value?.status).toBe(404)
    expect(open).toHaveBeenCalledTimes(1)

    id.value = 2
    await flush()
    expect(live.error.value).toBeNull()
    s.write(event(state(1, 'stale')) + event(state(2, 'ours')))
    await flush()
    expect(live.state.value?.title).toBe('ours')
    scope.stop()
  })
})
