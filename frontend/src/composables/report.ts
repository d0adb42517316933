import { showNotify } from 'vant'
import { ApiError } from '@/api/http'
import { t } from '@/i18n'

/** The text to show for an error: the server's message, written in the reader's language, when it wrote one. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected')
  if (error.fromServer) return error.message
  // Nobody wrote this one for people: the server was not reached, or something else answered.
  if (error.status === 0) return t('errors.network_error')
  if (error.status === 413) return t('errors.payload_too_large')
  if (error.status >= 500) return t('errors.internal')
  return t('errors.unexpected')
}

/** Shows an error to the user; anything that is not an ApiError is also logged for developers. */
export function reportError(error: unknown): void {
  if (!(error instanceof ApiError)) console.error(error)
  showNotify({ type: 'danger', message: errorMessage(error) })
}
