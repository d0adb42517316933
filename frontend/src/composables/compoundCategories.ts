import { client, unwrap } from '@/api/client'
import type { CategoryView, CompoundDetail } from '@/api/types'

/** Compound `id` and its community's concern categories: what the pages that file or sort by category read first. */
export async function compoundAndCategories(id: number): Promise<{ compound: CompoundDetail; categories: CategoryView[] }> {
  const compound = await unwrap(client.GET('/api/v1/compounds/{id}', { params: { path: { id } } }))
  const community = compound.community.id
  const categories = await unwrap(client.GET('/api/v1/communities/{id}/concern-categories', { params: { path: { id: community } } }))
  return { compound, categories }
}
