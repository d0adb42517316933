import { showNotify } from 'vant'
import { ApiError } from '@/api/http'
import { i18n, t } from '@/i18n'

/** The text to show for an error: a translation of its code when we have one, else the server's message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'too_many_requests' && error.retryAfter !== undefined) {
      return t('errors.retryAfter', { seconds: error.retryAfter })
    }
    const key = `errors.${error.code}`
    if (i18n.global.te(key)) return t(key)
    return error.message
  }
  return t('errors.unexpected')
}

/** Shows an error to the user; anything that is not an ApiError is also logged for developers. */
export function reportError(error: unknown): void {
  if (!(error instanceof ApiError)) console.error(error)
  showNotify({ type: 'danger', message: errorMessage(error) })
}
