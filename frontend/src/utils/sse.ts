/** One server-sent event: its type (`message` unless named) and its data lines joined. */
export interface SseEvent {
  event: string
  data: string
}

/**
 * Reads a `text/event-stream` as it arrives, in chunks cut anywhere (inside a line, inside a
 * character), and calls `onEvent` for each complete event. Comments (the server's keep-alive
 * lines starting with `:`) and the `id` and `retry` fields are passed over.
 */
export class SseParser {
  private buffer = ''
  private readonly decoder = new TextDecoder()
  private type = ''
  private data: string[] = []

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Takes the next chunk of the stream. */
  push(chunk: Uint8Array | string): void {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    for (;;) {
      const end = this.buffer.search(/[\r\n]/)
      if (end < 0) return
      // A CR at the end of a chunk may be the first half of a CRLF.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) return
      const line = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(this.buffer.startsWith('\r\n', end) ? end + 2 : end + 1)
      this.line(line)
    }
  }

  /** The stream ended: an event not closed by a blank line is dropped, as the standard says. */
  end(): void {
    this.buffer = ''
    this.type = ''
    this.data = []
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length) this.onEvent({ event: this.type || 'message', data: this.data.join('\n') })
      this.type = ''
      this.data = []
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.type = value
    else if (field === 'data') this.data.push(value)
  }
}
