import { describe, expect, it } from 'vitest'
import { SseParser, type SseEvent } from '@/utils/sse'

function parse(chunks: (string | Uint8Array)[]): SseEvent[] {
  const events: SseEvent[] = []
  const parser = new SseParser((e) => events.push(e))
  for (const c of chunks) parser.push(c)
  return events
}

describe('SseParser', () => {
  it('reads events cut in the middle of their lines', () => {
    const events = parse(['event: st', 'ate\ndata: {"a"', ':1}\n', '\n'])
    expect(events).toEqual([{ event: 'state', data: '{"a":1}' }])
  })

  it('reads several events from one chunk and joins the data lines of one event', () => {
    const events = parse(['event: state\ndata: 1\n\nevent: state\ndata: 2\ndata: 3\n\ndata: plain\n\n'])
    expect(events).toEqual([
      { event: 'state', data: '1' },
      { event: 'state', data: '2\n3' },
      { event: 'message', data: 'plain' },
    ])
  })

  it('passes over the keep-alive comments, the id and retry fields and empty events', () => {
    const events = parse([':\n\n: keep-alive\n\nid: 4\nretry: 100\n\nevent: state\ndata: x\n\n'])
    expect(events).toEqual([{ event: 'state', data: 'x' }])
  })

  it('takes CRLF and CR line ends, a CRLF cut between two chunks included', () => {
    const events = parse(['event: state\r', '\ndata: a\r\n\r', '\nevent: state\rdata: b\r\r', ': ping\n'])
    expect(events).toEqual([
      { event: 'state', data: 'a' },
      { event: 'state', data: 'b' },
    ])
  })

  it('decodes a character cut between two chunks', () => {
    const bytes = new TextEncoder().encode('event: state\ndata: 北门垃圾\n\n')
    const cut = bytes.indexOf(0xe5) + 1
    expect(parse([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([{ event: 'state', data: '北门垃圾' }])
  })

  it('drops an event the stream ended before closing', () => {
    const events: SseEvent[] = []
    const parser = new SseParser((e) => events.push(e))
    parser.push('event: state\ndata: half')
    parser.end()
    parser.push('\n\n')
    expect(events).toEqual([])
  })
})
