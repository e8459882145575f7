import { join } from 'node:path';
import type { Plane } from './load';
import { k8sDir, k8sYamlFiles, readYamlDocuments } from './load';

/** The subset of Kubernetes objects these tests read. */
export interface Probe {
  httpGet?: { path: string; port: number | string };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
export interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  enableServiceLinks?: boolean;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  volumes?: Array<{ name: string; emptyDir?: object }>;
  restartPolicy?: string;
}
export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // Each kind has its own spec; the tests narrow it with the helpers below.
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
export interface Manifest {
  file: string;
  object: K8sObject;
}

/** Every object in deploy/k8s (kustomization.yaml is kustomize's input, not an object). */
export function k8sManifests(): Manifest[] {
  const files = k8sYamlFiles().filter((file) => file !== 'kustomization.yaml');
  return files.flatMap((file) =>
    readYamlDocuments(join(k8sDir, file)).map((object) => ({ file, object: object as K8sObject })),
  );
}

export function ofKind(manifests: Manifest[], kind: string): K8sObject[] {
  return manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
}

export function named(objects: K8sObject[], name: string): K8sObject {
  const found = objects.find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no object named ${name}`);
  return found;
}

export function templateOf(workload: K8sObject): PodTemplate {
  return workload.spec?.template as PodTemplate;
}

export function onlyContainer(workload: K8sObject): Container {
  const containers = templateOf(workload).spec.containers;
  if (containers.length !== 1) throw new Error(`${workload.metadata.name}: expected one container`);
  return containers[0]!;
}

/** A probe's or Service's port, resolved through the container's named ports. */
export function resolvePort(container: Container, port: number | string | undefined): number {
  if (typeof port === 'number') return port;
  const found = container.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`container ${container.name} has no port named ${String(port)}`);
  return found.containerPort;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/**
 * The environment a container starts with: the image's ENV, then envFrom sources in order, then
 * `env` (later wins, as in Kubernetes). Secrets come from the example file.
 */
export function containerEnv(
  manifests: Manifest[],
  container: Container,
  imageEnv: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = { ...imageEnv };
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = named(ofKind(manifests, kind), ref!.name);
    Object.assign(env, object.data ?? {}, object.stringData ?? {});
  }
  for (const variable of container.env ?? []) env[variable.name] = variable.value ?? '';
  return env;
}

export function planeOfImage(image: string): Plane {
  const match = /^hellojohn\/(control-plane|data-plane)(:|$)/.exec(image);
  if (!match) throw new Error(`unexpected image ${image}`);
  return match[1] as Plane;
}
