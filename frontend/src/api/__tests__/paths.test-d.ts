// Compiled by `npm run typecheck` (tsconfig.vitest.json), never run: each expected error
// below must be a type error, or the type-check fails. It shows that a call the
// API does not have is refused before it reaches a reader.
import { client, unwrap } from '@/api/client'

export async function refused(id: number): Promise<void> {
  // A path the API does not have.
  // @ts-expect-error
  await client.GET('/api/v1/votes/{id}/results', { params: { path: { id } } })

  // A method the path does not take.
  // @ts-expect-error
  await client.DELETE('/api/v1/votes/{id}', { params: { path: { id } } })

  // A path parameter under the wrong name.
  // @ts-expect-error
  await client.GET('/api/v1/votes/{id}', { params: { path: { vote_id: id } } })

  // A query parameter the operation does not read.
  // @ts-expect-error
  await client.GET('/api/v1/compounds/{id}/units', { params: { path: { id }, query: { building: 3 } } })

  // A body field the request does not have.
  // @ts-expect-error
  await client.POST('/api/v1/votes/{id}/cancel', { params: { path: { id } }, body: { reason: 'x', note: 'y' } })

  // A body without a required field.
  // @ts-expect-error
  await client.POST('/api/v1/votes/{id}/extend', { params: { path: { id } }, body: { reason: 'x' } })

  // A response field the answer does not have.
  const vote = await unwrap(client.GET('/api/v1/votes/{id}', { params: { path: { id } } }))
  // @ts-expect-error
  void vote.can_vote

  // Operations of like name on different paths answer with their own types.
  const published = await unwrap(client.POST('/api/v1/votes/{id}/publish', { params: { path: { id } } }))
  void published.matter
  const closed = await unwrap(client.POST('/api/v1/questionnaires/{id}/close', { params: { path: { id } } }))
  // @ts-expect-error an agenda's field, not a questionnaire's
  void closed.cosign
}
