/** A run of characters of one side of a correction: kept on both sides, or changed on this one. */
export interface DiffPart {
  text: string
  changed: boolean
}

/** Above this many character pairs the middle is marked as changed whole rather than compared. */
const MAX_CELLS = 250_000

/**
 * The characters `before` and `after` share and those they do not, for marking a correction: the
 * common start and end are kept, and what lies between is compared character by character (the
 * longest common subsequence) when it is short enough, else marked changed whole.
 */
export function charDiff(before: string, after: string): { before: DiffPart[]; after: DiffPart[] } {
  const a = Array.from(before)
  const b = Array.from(after)
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const midA = a.slice(head, a.length - tail)
  const midB = b.slice(head, b.length - tail)
  const [keptA, keptB] = midA.length * midB.length <= MAX_CELLS ? common(midA, midB) : [midA.map(() => false), midB.map(() => false)]
  const side = (chars: string[], mid: string[], kept: boolean[]): DiffPart[] =>
    runs([...chars.slice(0, head).map((c) => [c, false] as const), ...mid.map((c, i) => [c, !kept[i]] as const), ...chars.slice(chars.length - tail).map((c) => [c, false] as const)])
  return { before: side(a, midA, keptA), after: side(b, midB, keptB) }
}

/** Which characters of `a` and of `b` belong to a longest common subsequence of the two. */
function common(a: string[], b: string[]): [boolean[], boolean[]] {
  const n = a.length
  const m = b.length
  const len: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!)
    }
  }
  const keptA = new Array<boolean>(n).fill(false)
  const keptB = new Array<boolean>(m).fill(false)
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      keptA[i++] = true
      keptB[j++] = true
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++
    else j++
  }
  return [keptA, keptB]
}

/** Characters joined into runs of the same kind. */
function runs(chars: (readonly [string, boolean])[]): DiffPart[] {
  const out: DiffPart[] = []
  for (const [c, changed] of chars) {
    const last = out[out.length - 1]
    if (last && last.changed === changed) last.text += c
    else out.push({ text: c, changed })
  }
  return out
}
