import type { ModelSetMeta } from '../pipeline/types';
import { VOC_CLASSES } from '../../core/constants';
import { modelSetUrl } from './discovery';
import { META_FILE } from './constants';

/**
 * "About this model set" as a card people read: what the set is, its
 * classes, backbone, training data, licences and evaluation. Built from
 * meta.json's provenance fields plus, when the set ships them, a
 * hand-written card.json (summary, supervision, licences, which evaluation
 * summaries it has) and those eval/*.json summaries, all served under
 * /models/<id>/.
 */
export const CARD_FILE = 'card.json';

export interface CardLicence {
  part: string;
  licence: string;
}

/** One row of the evaluation table: a score per stage, already formatted. */
export interface CardEvaluation {
  what: string;
  cam: string;
  rw: string;
  seg: string;
}

export interface ModelCard {
  name: string;
  summary: string | null;
  supervision: string | null;
  trained: boolean;
  classes: string[];
  /** The classes the heads were trained on, when fewer than `classes`. */
  headClasses: string[] | null;
  backbone: string | null;
  trainingData: string | null;
  parameters: string | null;
  exported: string | null;
  licences: CardLicence[];
  evaluation: CardEvaluation[];
  /** Where meta.json itself is served, for the raw view. */
  rawMetaUrl: string | null;
  /** Why card.json could not be used, or null. */
  problem: string | null;
}

type Json = Record<string, unknown>;

const record = (value: unknown): Json | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const percent = (share: unknown) => (num(share) === null ? '–' : `${(num(share)! * 100).toFixed(1)}`);

/** card.json, hand-written per set. */
export interface CardFile {
  summary: string | null;
  supervision: string | null;
  licences: CardLicence[];
  /** Evaluation summaries the set ships, relative to its folder (e.g. eval/val.json). */
  evaluations: string[];
}

/** Checks card.json; a field of the wrong shape is an error that names it. */
export function parseCardFile(json: unknown, file: string): CardFile {
  const card = record(json);
  if (!card) throw new Error(`${file} must be a JSON object`);
  for (const field of ['summary', 'supervision']) {
    if (card[field] !== undefined && !text(card[field])) throw new Error(`${file}: ${field} must be a string`);
  }
  const licences = card.licences ?? [];
  if (!Array.isArray(licences)) throw new Error(`${file}: licences must be a list of {part, licence}`);
  const evaluations = card.evaluations ?? [];
  if (!Array.isArray(evaluations) || !evaluations.every((v) => text(v))) throw new Error(`${file}: evaluations must be a list of file names`);
  return {
    summary: text(card.summary),
    supervision: text(card.supervision),
    licences: licences.map((entry, i) => {
      const l = record(entry);
      if (!l || !text(l.part) || !text(l.licence)) throw new Error(`${file}: licences[${i}] must be {part, licence} with two strings`);
      return { part: l.part as string, licence: l.licence as string };
    }),
    evaluations: evaluations as string[],
  };
}

function backboneLine(summary: Json): string | null {
  const graph = record(summary.backbone);
  if (!graph) return null;
  if (graph.format === 'affinitylab-backbone') {
    const arch = record(graph.architecture);
    const name = arch ? [text(arch.architecture), num(arch.width) !== null ? `width ${arch.width}` : null].filter(Boolean).join(' ') : 'own backbone';
    return `${name}, trained by this project (${text(graph.file) ?? 'backbone/model.json'})`;
  }
  const pkg = text(graph.package);
  return pkg ? `${text(graph.file) ?? 'a graph model'} from the npm package ${pkg} (frozen)` : null;
}

function trainingDataLine(summary: Json): string | null {
  const data = record(summary.data);
  if (!data) return null;
  const images = record(data.images);
  const counts = images
    ? Object.entries(images)
        .filter(([, n]) => num(n) !== null)
        .map(([split, n]) => `${n} ${split}`)
        .join(', ')
    : '';
  const description = text(data.description);
  if (!description && !counts) return null;
  return [description, counts && `${counts} images`].filter(Boolean).join(': ');
}

function parametersLine(summary: Json): string | null {
  const parameters = record(summary.parameters);
  if (!parameters) return null;
  const parts = Object.entries(parameters)
    .filter(([, n]) => num(n) !== null)
    .map(([part, n]) => `${part} ${((n as number) / 1e6).toFixed(2)} M`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** meta.json `eval` (PyTorch, mIoU in percent per split) and the served eval summaries, as table rows. */
function evaluationRows(summary: Json, evals: Record<string, unknown>): CardEvaluation[] {
  const rows: CardEvaluation[] = [];
  for (const [split, scores] of Object.entries(record(summary.eval) ?? {})) {
    const s = record(scores);
    if (!s) continue;
    const cell = (v: unknown) => (num(v) === null ? '–' : (v as number).toFixed(1));
    rows.push({ what: `${split} composites, mIoU, true labels (PyTorch)`, cam: cell(s.cam), rw: cell(s.rw), seg: cell(s.seg) });
  }
  for (const [file, json] of Object.entries(evals)) {
    const e = record(json);
    if (!e) continue;
    const miou = record(e.miou);
    if (miou) {
      for (const [labels, what] of [['gt', 'true'], ['predicted', 'predicted']] as const) {
        const m = record(miou[labels]);
        if (m) rows.push({ what: `${text(e.dataset) ?? `${text(e.split) ?? file} composites`}, mIoU, ${what} labels (app pipeline)`, cam: percent(m.cam), rw: percent(m.rw), seg: percent(m.final) });
      }
    }
    const found = record(e.found);
    const objects = num(e.objects);
    if (found && objects !== null) {
      const cell = (share: unknown) => (num(share) === null ? '–' : `${Math.round((share as number) * objects)}/${objects}`);
      rows.push({ what: `real photos (${num(e.photos) ?? '?'}), objects found`, cam: cell(found.cam), rw: cell(found.rw), seg: cell(found.final) });
    }
  }
  return rows;
}

/**
 * The card from meta.json, card.json (null when the set has none) and the
 * evaluation summaries it lists (file → parsed JSON; missing ones left out).
 */
export function modelCard(meta: ModelSetMeta, card: CardFile | null, evals: Record<string, unknown>, served: boolean): ModelCard {
  const summary = meta.summary ?? {};
  const classes = meta.classes.map((c) => c.name);
  const trainedOn = [...new Set([...meta.headClasses.cam, ...meta.headClasses.seg])].sort((a, b) => a - b).map((voc) => VOC_CLASSES[voc]);
  return {
    name: meta.name,
    summary: card?.summary ?? text(summary.purpose),
    supervision: card?.supervision ?? null,
    trained: meta.trained,
    classes,
    headClasses: trainedOn.length < classes.length ? trainedOn : null,
    backbone: backboneLine(summary),
    trainingData: trainingDataLine(summary),
    parameters: parametersLine(summary),
    exported: text(summary.exported),
    licences: card?.licences ?? [],
    evaluation: evaluationRows(summary, evals),
    rawMetaUrl: served ? modelSetUrl(meta.id) + META_FILE : null,
    problem: null,
  };
}

/** JSON from the app's origin, or null when the file is not served (a static host may answer with index.html). */
async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return null;
  return response.json();
}

/**
 * Fetches the set's card.json and evaluation summaries and builds its card;
 * `served` is false for sets not under /models/. Never throws: a broken
 * card.json leaves the card to meta.json and says why.
 */
export async function loadModelCard(meta: ModelSetMeta, served: boolean): Promise<ModelCard> {
  if (!served) return modelCard(meta, null, {}, false);
  const base = modelSetUrl(meta.id);
  try {
    const cardJson = await fetchJson(base + CARD_FILE);
    const card = cardJson === null ? null : parseCardFile(cardJson, `models/${meta.id}/${CARD_FILE}`);
    const evals: Record<string, unknown> = {};
    await Promise.all(
      (card?.evaluations ?? []).map(async (file) => {
        const json = await fetchJson(base + file);
        if (json !== null) evals[file] = json;
      }),
    );
    return modelCard(meta, card, evals, true);
  } catch (e) {
    return { ...modelCard(meta, null, {}, true), problem: e instanceof Error ? e.message : String(e) };
  }
}
