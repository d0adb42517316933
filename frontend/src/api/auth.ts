import { readJson, send } from './http'
import type { LoginRequest, RecoverRequest, RegisterRequest, TokenResponse } from './types'

// Session endpoints never go through the refresh-and-retry client: a 401 here is final.

export async function login(body: LoginRequest): Promise<TokenResponse> {
  return readJson<TokenResponse>(await send('POST', '/auth/login', { json: body }))
}

export async function register(body: RegisterRequest): Promise<TokenResponse> {
  return readJson<TokenResponse>(await send('POST', '/auth/register', { json: body }))
}

export async function refresh(refreshToken: string): Promise<TokenResponse> {
  return readJson<TokenResponse>(await send('POST', '/auth/refresh', { json: { refresh_token: refreshToken } }))
}

export async function logout(refreshToken: string, accessToken: string | null): Promise<void> {
  await send('POST', '/auth/logout', { json: { refresh_token: refreshToken }, token: accessToken })
}

/** Sets a new password with a recovery code handed over by the community office; then sign in with it. */
export async function recover(body: RecoverRequest): Promise<void> {
  await send('POST', '/auth/recover', { json: body })
}
