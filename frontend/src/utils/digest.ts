/** The first characters of a SHA-256, enough to tell two texts (or two versions) apart, on screen and on paper; "—" when there is none. */
export function shortDigest(digest: string | null | undefined): string {
  return digest ? digest.slice(0, 12) : '—'
}
