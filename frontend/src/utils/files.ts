/** The files picked in a file input, which is cleared so that the same file can be picked again. */
export function takeFiles(event: Event): File[] {
  const input = event.target as HTMLInputElement
  const picked = [...(input.files ?? [])]
  input.value = ''
  return picked
}
