import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A small kustomize, enough to render deploy/k8s (base + overlays) for validation without the
 * kustomize binary: `resources` (files and folders with a kustomization.yaml), `namespace`,
 * `labels` (pairs, includeSelectors, includeTemplates), `commonAnnotations`, `images`,
 * `replicas` and `patches` given by `path` (strategic merge: maps merge, lists of named items
 * merge by name, other lists are replaced, `null` removes a key). Any other field is refused,
 * so a kustomization never means more to kustomize than to this renderer.
 */
export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
]);

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass']);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  commonAnnotations?: Record<string, string>;
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path?: string; patch?: string; target?: unknown }[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every YAML document of a file, refusing syntax errors (with the file's name). */
export function readYamlDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: true });
  const all = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const doc of all) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

function asResource(value: unknown, file: string): Resource {
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isObject(value.metadata) || typeof value.metadata.name !== 'string') {
    throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
  }
  return value as unknown as Resource;
}

/** Strategic merge (the subset described above) of `patch` into `target`. */
export function strategicMerge(target: Json, patch: Json): Json {
  if (isObject(target) && isObject(patch)) {
    const merged: JsonObject = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value) : value;
    }
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && [...target, ...patch].every((item) => isObject(item) && typeof item.name === 'string')) {
    const merged = target.map((item) => {
      const over = patch.find((p) => (p as JsonObject).name === (item as JsonObject).name);
      return over ? strategicMerge(item, over) : item;
    });
    for (const item of patch) {
      if (!target.some((t) => (t as JsonObject).name === (item as JsonObject).name)) merged.push(item);
    }
    return merged;
  }
  return patch;
}

function podTemplateSpecs(resource: Resource): JsonObject[] {
  if (!WORKLOADS.has(resource.kind)) return [];
  const template = (resource.spec as JsonObject | undefined)?.template;
  return isObject(template) ? [template] : [];
}

function addLabels(resource: Resource, rule: NonNullable<Kustomization['labels']>[number]): void {
  resource.metadata.labels = { ...resource.metadata.labels, ...rule.pairs };
  if (rule.includeTemplates || rule.includeSelectors) {
    for (const template of podTemplateSpecs(resource)) {
      const metadata = (template.metadata ??= {}) as JsonObject;
      metadata.labels = { ...((metadata.labels as JsonObject) ?? {}), ...rule.pairs };
    }
  }
  if (rule.includeSelectors) {
    const spec = resource.spec as JsonObject | undefined;
    if (resource.kind === 'Service' && spec) spec.selector = { ...((spec.selector as JsonObject) ?? {}), ...rule.pairs };
    const selector = spec?.selector;
    if (resource.kind !== 'Service' && isObject(selector)) {
      selector.matchLabels = { ...((selector.matchLabels as JsonObject) ?? {}), ...rule.pairs };
    }
  }
}

function setImages(resource: Resource, images: NonNullable<Kustomization['images']>): void {
  for (const template of podTemplateSpecs(resource)) {
    const spec = template.spec as JsonObject | undefined;
    for (const list of ['containers', 'initContainers'] as const) {
      for (const container of (spec?.[list] as JsonObject[] | undefined) ?? []) {
        const image = String(container.image ?? '');
        const name = image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
        const rule = images.find((i) => i.name === name);
        if (!rule) continue;
        const tag = rule.digest ? `@${rule.digest}` : rule.newTag ? `:${rule.newTag}` : image.slice(name.length);
        container.image = `${rule.newName ?? name}${tag}`;
      }
    }
  }
}

const key = (r: Pick<Resource, 'kind' | 'metadata'>) => `${r.kind}/${r.metadata.name}`;

/** Renders the kustomization in `dir` (a folder holding kustomization.yaml) to its resources. */
export function renderKustomization(dir: string): Resource[] {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const [raw] = readYamlDocuments(file);
  if (!isObject(raw)) throw new Error(`${file}: not a kustomization`);
  const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length) throw new Error(`${file}: fields this renderer does not implement: ${unknown.join(', ')}`);
  const k = raw as unknown as Kustomization;
  if (k.kind !== 'Kustomization' || k.apiVersion !== 'kustomize.config.k8s.io/v1beta1') {
    throw new Error(`${file}: apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization expected`);
  }

  const resources: Resource[] = [];
  for (const entry of k.resources ?? []) {
    const target = path.resolve(dir, entry);
    if (!fs.existsSync(target)) throw new Error(`${file}: resource ${entry} does not exist`);
    const found = fs.statSync(target).isDirectory()
      ? renderKustomization(target)
      : readYamlDocuments(target).map((doc) => asResource(doc, target));
    for (const resource of found) {
      if (resources.some((r) => key(r) === key(resource))) throw new Error(`${file}: ${key(resource)} is defined twice`);
      resources.push(resource);
    }
  }

  for (const patchRef of k.patches ?? []) {
    if (!patchRef.path || patchRef.patch || patchRef.target) throw new Error(`${file}: only patches given by path are supported`);
    const patchFile = path.resolve(dir, patchRef.path);
    if (!fs.existsSync(patchFile)) throw new Error(`${file}: patch ${patchRef.path} does not exist`);
    for (const doc of readYamlDocuments(patchFile)) {
      const patch = asResource(doc, patchFile);
      const index = resources.findIndex((r) => key(r) === key(patch));
      if (index < 0) throw new Error(`${patchFile}: patches ${key(patch)}, which no resource defines`);
      resources[index] = strategicMerge(resources[index] as unknown as Json, patch as unknown as Json) as unknown as Resource;
    }
  }

  for (const rule of k.replicas ?? []) {
    const target = resources.filter((r) => r.metadata.name === rule.name && ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(r.kind));
    if (!target.length) throw new Error(`${file}: replicas for ${rule.name}, which no workload is called`);
    for (const r of target) (r.spec as JsonObject).replicas = rule.count;
  }
  for (const image of k.images ?? []) {
    const used = resources.some((r) =>
      podTemplateSpecs(r).some((t) =>
        ((t.spec as JsonObject)?.containers as JsonObject[] | undefined)?.some((c) => String(c.image).replace(/[:@].*$/, '') === image.name),
      ),
    );
    if (!used) throw new Error(`${file}: image ${image.name} is used by no container`);
  }
  for (const r of resources) {
    for (const rule of k.labels ?? []) addLabels(r, rule);
    if (k.commonAnnotations) r.metadata.annotations = { ...r.metadata.annotations, ...k.commonAnnotations };
    if (k.images) setImages(r, k.images);
    if (k.namespace && !CLUSTER_SCOPED.has(r.kind)) r.metadata.namespace = k.namespace;
  }
  return resources;
}
