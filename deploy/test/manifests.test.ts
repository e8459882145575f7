import { join } from 'node:path';
import { ConfigError, loadConfig } from '@hellojohn/config';
import { dockerfileOf, envOf, execFormOf, finalStage } from './support/dockerfile';
import type { Container, K8sObject } from './support/k8s';
import {
  containerEnv,
  k8sManifests,
  named,
  ofKind,
  onlyContainer,
  planeOfImage,
  resolvePort,
  selects,
  templateOf,
} from './support/k8s';
import type { Plane } from './support/load';
import {
  fillPlaceholders,
  k8sDir,
  k8sYamlFiles,
  knownHjNames,
  planes,
  portVariable,
  readYamlDocuments,
  repoFileExists,
} from './support/load';

const manifests = k8sManifests();
const deployments = ofKind(manifests, 'Deployment');
const services = ofKind(manifests, 'Service');
const jobs = ofKind(manifests, 'Job');
const config = named(ofKind(manifests, 'ConfigMap'), 'hellojohn-config');
const imageEnv = (plane: Plane) => envOf(finalStage(dockerfileOf(plane)));

describe('deploy/k8s files', () => {
  it('hold only well-formed objects', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const { file, object } of manifests) {
      expect([file, typeof object.apiVersion, typeof object.kind]).toEqual([
        file,
        'string',
        'string',
      ]);
      expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it('are all listed in kustomization.yaml, except the example secrets', () => {
    const [kustomization] = readYamlDocuments(join(k8sDir, 'kustomization.yaml')) as Array<{
      resources: string[];
      images: Array<{ name: string }>;
    }>;
    const files = k8sYamlFiles().filter((f) => f !== 'kustomization.yaml');
    const examples = files.filter((f) => f.endsWith('.example.yaml'));
    expect(examples).toEqual(['secret.example.yaml']);
    expect([...kustomization!.resources].sort()).toEqual(
      files.filter((f) => !examples.includes(f)),
    );
    const images = manifests.flatMap(({ object }) =>
      object.spec?.template ? templateOf(object).spec.containers.map((c) => c.image) : [],
    );
    expect(new Set(images)).toEqual(new Set(kustomization!.images.map((i) => i.name)));
  });

  it('use only HJ_* names the configuration knows', () => {
    const names = new Set<string>();
    for (const { object } of manifests) {
      for (const name of Object.keys({ ...object.data, ...object.stringData })) names.add(name);
      if (object.spec?.template) {
        for (const container of templateOf(object).spec.containers) {
          for (const variable of container.env ?? []) names.add(variable.name);
        }
      }
    }
    const hj = [...names].filter((name) => name.startsWith('HJ_'));
    expect(hj.length).toBeGreaterThan(10);
    expect(hj.filter((name) => !knownHjNames.has(name))).toEqual([]);
  });
});

function checkPodHardening(workload: K8sObject, container: Container): void {
  const pod = templateOf(workload).spec;
  expect(pod.securityContext?.runAsNonRoot).toBe(true);
  expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
  expect(pod.enableServiceLinks).toBe(false);
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(container.securityContext).toMatchObject({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  const emptyDirs = new Set(pod.volumes?.filter((v) => v.emptyDir).map((v) => v.name));
  const writable = container.volumeMounts
    ?.filter((m) => emptyDirs.has(m.name))
    .map((m) => m.mountPath);
  expect(writable?.sort()).toEqual(['/app/data', '/tmp']);
  for (const kind of ['requests', 'limits'] as const) {
    expect(container.resources?.[kind]).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
  }
}

describe.each(planes)('the %s Deployment', (plane: Plane) => {
  const deployment = named(deployments, plane);
  const template = templateOf(deployment);
  const container = onlyContainer(deployment);
  const port = resolvePort(container, 'http');

  it('listens on the port its configuration gives it', () => {
    expect(planeOfImage(container.image)).toBe(plane);
    expect(String(port)).toBe(config.data?.[portVariable[plane]]);
  });

  it('probes readiness on /readyz and liveness and start-up on /healthz, on its port', () => {
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.startupProbe?.httpGet?.path).toBe('/healthz');
    for (const probe of [
      container.readinessProbe,
      container.livenessProbe,
      container.startupProbe,
    ]) {
      expect(resolvePort(container, probe?.httpGet?.port)).toBe(port);
    }
  });

  it('is selected by a Service whose targetPort is the container port', () => {
    const service = named(services, plane);
    const spec = service.spec as {
      selector: Record<string, string>;
      ports: Array<{ targetPort: number | string }>;
    };
    expect(selects(spec.selector, template.metadata.labels)).toBe(true);
    expect(spec.ports.map((p) => resolvePort(container, p.targetPort))).toEqual([port]);
    const selector = (deployment.spec?.selector as { matchLabels: Record<string, string> })
      .matchLabels;
    expect(selects(selector, template.metadata.labels)).toBe(true);
  });

  it('leaves migrations to the Job and rolls out without losing capacity', () => {
    expect(containerEnv(manifests, container, imageEnv(plane)).HJ_AUTO_MIGRATE).toBe('false');
    const strategy = deployment.spec?.strategy as { rollingUpdate: { maxUnavailable: unknown } };
    expect(strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('outlives the 15 s drain plus its preStop pause when terminated', () => {
    const pause = Number(container.lifecycle?.preStop?.exec?.command.at(-1) ?? 0);
    expect(template.spec.terminationGracePeriodSeconds).toBeGreaterThan(15 + pause);
  });

  it('is hardened and sized', () => {
    checkPodHardening(deployment, container);
  });

  it('is scraped by Prometheus on its port', () => {
    expect(template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
  });

  it('has a PodDisruptionBudget', () => {
    const pdbs = ofKind(manifests, 'PodDisruptionBudget').filter((pdb) =>
      selects(
        (pdb.spec?.selector as { matchLabels: Record<string, string> }).matchLabels,
        template.metadata.labels,
      ),
    );
    expect(pdbs).toHaveLength(1);
  });
});

describe('scaling', () => {
  it('runs two control-plane replicas', () => {
    expect(named(deployments, 'control-plane').spec?.replicas).toBe(2);
  });

  it('autoscales the data plane on CPU from 2 to 10, owning its replica count', () => {
    const hpas = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpas).toHaveLength(1);
    const spec = hpas[0]!.spec as {
      scaleTargetRef: { apiVersion: string; kind: string; name: string };
      minReplicas: number;
      maxReplicas: number;
      metrics: Array<{ resource?: { name: string } }>;
    };
    expect(spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'data-plane',
    });
    expect([spec.minReplicas, spec.maxReplicas]).toEqual([2, 10]);
    expect(spec.metrics.map((m) => m.resource?.name)).toEqual(['cpu']);
    const target = named(deployments, 'data-plane');
    expect(target.spec?.replicas).toBeUndefined();
    expect(onlyContainer(target).resources?.requests?.cpu).toBeDefined();
  });
});

describe.each([
  ['control-plane', 'control-plane-migrate', 'migrate'],
  ['data-plane', 'data-plane-migrate', 'migrate-tenants'],
] as const)('the %s migration Job', (plane, name, script) => {
  const job = named(jobs, name);
  const container = onlyContainer(job);

  it(`runs ${script} from the plane's image, whose source exists`, () => {
    expect(container.image).toBe(onlyContainer(named(deployments, plane)).image);
    // `args` keep the image's ENTRYPOINT (tini as PID 1); `command` would replace it.
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(['node', `apps/${plane}/dist/${script}.js`]);
    expect(execFormOf(finalStage(dockerfileOf(plane)), 'ENTRYPOINT')).toEqual([
      '/usr/bin/tini',
      '--',
    ]);
    expect(repoFileExists(`apps/${plane}/src/${script}.ts`)).toBe(true);
    expect(templateOf(job).spec.restartPolicy).toBe('Never');
  });

  it('is hardened like the Deployment and reads the same configuration', () => {
    checkPodHardening(job, container);
    expect(container.envFrom).toEqual(onlyContainer(named(deployments, plane)).envFrom);
  });
});

describe.each(planes)('the %s configuration (configmap + example secrets)', (plane: Plane) => {
  const container = onlyContainer(named(deployments, plane));
  const env = containerEnv(manifests, container, imageEnv(plane));
  const required: Record<Plane, string[]> = {
    'control-plane': [
      'HJ_CP_DATABASE_URL',
      'HJ_RABBITMQ_URL',
      'HJ_PUBLIC_URL',
      'HJ_INTERNAL_TOKEN',
    ],
    'data-plane': [
      'HJ_CP_URL',
      'HJ_TENANT_DATABASE_URL',
      'HJ_RABBITMQ_URL',
      'HJ_REDIS_URL',
      'HJ_PUBLIC_URL',
    ],
  };

  it('names everything the plane needs, its master key from its own Secret', () => {
    expect(Object.keys(env)).toEqual(expect.arrayContaining([...required[plane], 'HJ_MASTER_KEY']));
    expect(named(ofKind(manifests, 'Secret'), plane).stringData?.HJ_MASTER_KEY).toBeDefined();
    expect(container.envFrom?.map((source) => source.secretRef?.name)).toContain(plane);
  });

  it('refuses to start while the placeholders are in place', () => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((issue) => issue.variable);
    expect(variables).toContain('HJ_INTERNAL_TOKEN');
  });

  it('is a valid production configuration once the placeholders are filled', () => {
    const loaded = loadConfig(fillPlaceholders(env));
    expect(loaded.nodeEnv).toBe('production');
    expect(loaded.autoMigrate).toBe(false);
    expect(plane === 'control-plane' ? loaded.cpPort : loaded.dpPort).toBe(
      resolvePort(container, 'http'),
    );
  });

  it('points the data plane at the control-plane Service', () => {
    const cpService = named(services, 'control-plane');
    const cpPort = (cpService.spec as { ports: Array<{ port: number }> }).ports[0]!.port;
    expect(env.HJ_CP_URL).toBe(`http://${cpService.metadata.name}:${cpPort}`);
  });
});
