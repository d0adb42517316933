import { ref } from 'vue'
import { ApiError } from '@/api/http'

/** Per-field messages from a 422 `validation_failed` answer, keyed by request field, for van-field's error-message. */
export function useFieldErrors() {
  const errors = ref<Record<string, string>>({})

  function clear(): void {
    errors.value = {}
  }

  /** Takes the field messages from an error; returns whether there were any. */
  function take(error: unknown): boolean {
    errors.value = error instanceof ApiError && error.fields ? { ...error.fields } : {}
    return Object.keys(errors.value).length > 0
  }

  return { errors, clear, take }
}
