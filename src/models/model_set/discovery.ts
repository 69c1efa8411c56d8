import { META_FILE } from './constants';
import { validateMeta } from './meta';
import type { ModelSetMeta } from '../pipeline/types';
import { SYNTHETIC_META, SYNTHETIC_MODEL_ID } from '../synthetic_pipeline';

/**
 * The model sets the selector offers. Trained sets live in models/<id>/ with
 * a meta.json (served at /models/<id>/); this list is the one place that
 * names them. The synthetic stand-in is offered only when the URL asks for it.
 */
export const MODEL_SET_IDS: readonly string[] = ['default', 'scratch'];

export interface ModelSetOption {
  id: string;
  /** From meta.json once fetched; null while unknown or missing. */
  meta: ModelSetMeta | null;
  /** Why the set cannot be used (e.g. its meta.json is missing), or null. */
  unavailable: string | null;
}

/** The model set's folder as the app serves it (models/<id>/ → /models/<id>/). */
export function modelSetUrl(id: string): string {
  return `/models/${id}/`;
}

/** A model-set id that can only name a folder directly under /models/. */
const MODEL_SET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

async function probe(id: string): Promise<ModelSetOption> {
  try {
    const url = modelSetUrl(id) + META_FILE;
    const response = await fetch(url);
    // A static host may answer a missing file with its index.html (HTTP 200), so check the type too.
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) {
      return { id, meta: null, unavailable: `models/${id}/${META_FILE} is not served: this build has no trained weights in models/${id}/.` };
    }
    return { id, meta: validateMeta(await response.json(), id, url), unavailable: null };
  } catch (e) {
    return { id, meta: null, unavailable: `models/${id}/${META_FILE} could not be read: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

/**
 * Fetches each listed set's meta.json; sets without one stay listed with the
 * reason. `requested` (from ?model=<id>) may name any other folder under
 * /models/, e.g. a set just trained and not yet in the list.
 */
export async function discoverModelSets(includeSynthetic: boolean, requested: string | null): Promise<ModelSetOption[]> {
  const ids = [...MODEL_SET_IDS];
  if (requested && requested !== SYNTHETIC_MODEL_ID && MODEL_SET_ID.test(requested) && !ids.includes(requested)) ids.push(requested);
  const found = await Promise.all(ids.map(probe));
  return includeSynthetic ? [...found, { id: SYNTHETIC_MODEL_ID, meta: SYNTHETIC_META, unavailable: null }] : found;
}
