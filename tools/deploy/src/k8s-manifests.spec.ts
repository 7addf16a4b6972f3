import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedConfigData, type Manifest, readKustomization, resourcesOf } from './kustomization';
import { validateAgainstSchema } from './kubernetes-schemas';
import { applyPatches } from './patches';
import { readRuleGroups } from './prometheus-rule';
import { ALERT_RULES_DIR, REPO_ROOT } from './repo-paths';

/*
 * deploy/k8s without a cluster: this machine has neither a Kubernetes API server nor the kustomize
 * binary, so the manifests are read as kustomize would read them, validated against the Kubernetes
 * and Prometheus Operator schemas (kubernetes-models), and checked for the references between them
 * that only a running cluster would otherwise reveal.
 */

const BASE_DIR = join(REPO_ROOT, 'deploy/k8s/base');
const OVERLAY_DIR = join(REPO_ROOT, 'deploy/k8s/overlays/example');
const SECRET_NAME = 'chronicle-secrets';

interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
}

interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  initContainers?: Container[];
}

const base = readKustomization(BASE_DIR);
const overlay = readKustomization(OVERLAY_DIR);
const baseObjects = resourcesOf(base);
const overlayObjects = resourcesOf(overlay);

const ofKind = (kind: string) => baseObjects.filter((object) => object.kind === kind);
const spec = <T>(object: Manifest) => object.spec as T;
const podSpec = (object: Manifest) => spec<{ template: { spec: PodSpec } }>(object).template.spec;
const podLabels = (object: Manifest) =>
  spec<{ template: { metadata: { labels: Record<string, string> } } }>(object).template.metadata.labels;
const allContainers = (pod: PodSpec) => [...(pod.initContainers ?? []), ...pod.containers];
const workloads = () => [...ofKind('Deployment'), ...ofKind('Job')];
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);
const deploymentsSelectedBy = (selector: Record<string, string>) =>
  ofKind('Deployment').filter((deployment) => matches(selector, podLabels(deployment)));

describe('the kustomize base and the example overlay', () => {
  it('list resources that exist and match the Kubernetes schemas', () => {
    expect(baseObjects.map(({ kind, metadata }) => `${kind}/${metadata.name}`).sort()).toEqual(
      [
        'Deployment/analytics-worker',
        'Deployment/gateway',
        'Deployment/ingest-worker',
        'HorizontalPodAutoscaler/gateway',
        'Job/chronicle-migrate',
        'PodDisruptionBudget/analytics-worker',
        'PodDisruptionBudget/gateway',
        'PodDisruptionBudget/ingest-worker',
        'PrometheusRule/chronicle-alerts',
        'Service/analytics-worker',
        'Service/gateway',
        'Service/ingest-worker',
        'ServiceMonitor/analytics-worker',
        'ServiceMonitor/gateway',
        'ServiceMonitor/ingest-worker',
      ].sort(),
    );
    for (const object of overlayObjects) expect(() => validateAgainstSchema(object)).not.toThrow();
  });

  it('generate a ConfigMap that every container reads, merged by the overlay', () => {
    const data = {
      ...generatedConfigData(base, 'chronicle-config'),
      ...generatedConfigData(overlay, 'chronicle-config'),
    };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'chronicle-config' }, data };
    expect(() => validateAgainstSchema(configMap)).not.toThrow();
    expect(data['KAFKA_BROKERS']).toMatch(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/);
    expect(overlay.configMapGenerator).toEqual([
      expect.objectContaining({ name: 'chronicle-config', behavior: 'merge' }),
    ]);
    for (const workload of workloads())
      for (const container of podSpec(workload).containers)
        expect(container.envFrom).toEqual([{ configMapRef: { name: 'chronicle-config' } }]);
  });

  it("apply the overlay's patches to resources of the base, and the patched ones still validate", () => {
    const applied = applyPatches(overlay, baseObjects);
    expect(applied.length).toBeGreaterThan(0);
    for (const { targets, patched } of applied) {
      expect(targets.length).toBeGreaterThan(0);
      patched.forEach((object, index) => {
        expect(() => validateAgainstSchema(object)).not.toThrow();
        // A container name the base does not have would add a container rather than patch one.
        const names = (pod: PodSpec) => pod.containers.map((container) => container.name);
        expect(names(podSpec(object))).toEqual(names(podSpec(targets[index] as Manifest)));
      });
    }
  });

  it("set the overlay's replicas and image on what the base has", () => {
    const deployments = ofKind('Deployment').map((deployment) => deployment.metadata.name);
    for (const { name } of overlay.replicas ?? []) expect(deployments).toContain(name);
    const images = new Set(
      workloads().flatMap((workload) => allContainers(podSpec(workload)).map((c) => c.image)),
    );
    expect([...images]).toEqual([overlay.images?.[0]?.name]);
  });

  it("keep each worker's replicas within the events topic's 12 partitions (more would idle)", () => {
    const counts = Object.fromEntries((overlay.replicas ?? []).map(({ name, count }) => [name, count]));
    for (const worker of ['ingest-worker', 'analytics-worker']) {
      const deployment = ofKind('Deployment').find(({ metadata }) => metadata.name === worker) as Manifest;
      const replicas = counts[worker] ?? spec<{ replicas?: number }>(deployment).replicas ?? 1;
      expect(replicas).toBeLessThanOrEqual(12);
    }
  });
});

describe('the Deployments', () => {
  it('have a liveness and a readiness probe on /health/live and /health/ready', () => {
    for (const deployment of ofKind('Deployment'))
      for (const container of podSpec(deployment).containers) {
        expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
        expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
      }
  });

  it("probe ports that are the containers' own", () => {
    for (const deployment of ofKind('Deployment'))
      for (const container of podSpec(deployment).containers) {
        const ports = (container.ports ?? []).flatMap(({ name, containerPort }) => [name, containerPort]);
        expect(ports).toContain(container.livenessProbe?.httpGet?.port);
        expect(ports).toContain(container.readinessProbe?.httpGet?.port);
      }
  });

  it('listen on all addresses on the probed port (GATEWAY_HOST / OPS_HOST), not on loopback only', () => {
    for (const deployment of ofKind('Deployment'))
      for (const container of podSpec(deployment).containers) {
        const env = Object.fromEntries((container.env ?? []).map(({ name, value }) => [name, value]));
        const host = env['GATEWAY_HOST'] ?? env['OPS_HOST'];
        const portVariable = Object.keys(env).find((name) => /^(GATEWAY_PORT|[A-Z]+_OPS_PORT)$/.test(name));
        expect(host).toBe('0.0.0.0');
        expect(container.ports?.map(({ containerPort }) => String(containerPort))).toEqual([
          env[portVariable as string],
        ]);
      }
  });

  it('request and limit CPU and memory for every container, the Job too', () => {
    for (const workload of workloads())
      for (const container of allContainers(podSpec(workload)))
        for (const bound of ['requests', 'limits'] as const)
          expect(Object.keys(container.resources?.[bound] ?? {}).sort()).toEqual(['cpu', 'memory']);
  });

  it('run as non-root, on a read-only root filesystem, without capabilities or privilege escalation', () => {
    for (const workload of workloads()) {
      const pod = podSpec(workload);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      for (const container of allContainers(pod))
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
    }
  });

  it('run the built JavaScript with node, as compose does', () => {
    for (const workload of workloads())
      for (const container of allContainers(podSpec(workload))) {
        const command = (container as { command?: string[] }).command ?? [];
        expect(command[0]).toBe('node');
        expect(command.find((part) => part.endsWith('.js'))).toMatch(
          /^dist\/(apps|libs)\/[\w-]+\/src\/[\w.-]+\.js$/,
        );
      }
  });
});

describe('the references between resources', () => {
  it("select each Service's pods by a Deployment's pod labels, on a port the pods have", () => {
    for (const service of ofKind('Service')) {
      const { selector, ports } = spec<{ selector: Record<string, string>; ports: { targetPort: string }[] }>(
        service,
      );
      const [deployment, ...others] = deploymentsSelectedBy(selector);
      expect(others).toEqual([]);
      const containerPorts = podSpec(deployment as Manifest).containers.flatMap((c) =>
        c.ports?.map((p) => p.name),
      );
      for (const { targetPort } of ports) expect(containerPorts).toContain(targetPort);
    }
  });

  it('give every Deployment a PodDisruptionBudget and point the autoscaler at the gateway', () => {
    const covered = ofKind('PodDisruptionBudget').flatMap((pdb) =>
      deploymentsSelectedBy(
        spec<{ selector: { matchLabels: Record<string, string> } }>(pdb).selector.matchLabels,
      ).map((deployment) => deployment.metadata.name),
    );
    expect(covered.sort()).toEqual(
      ofKind('Deployment')
        .map(({ metadata }) => metadata.name)
        .sort(),
    );
    const [hpa] = ofKind('HorizontalPodAutoscaler');
    const target = spec<{ scaleTargetRef: { kind: string; name: string } }>(hpa as Manifest).scaleTargetRef;
    expect(ofKind(target.kind).map(({ metadata }) => metadata.name)).toContain(target.name);
    expect(target.name).toBe('gateway');
  });

  it('read secrets from chronicle-secrets only, every key of which the README tells the operator to create', () => {
    const refs = workloads().flatMap((workload) =>
      allContainers(podSpec(workload)).flatMap((container) =>
        (container.env ?? []).flatMap(({ valueFrom }) =>
          valueFrom?.secretKeyRef ? [valueFrom.secretKeyRef] : [],
        ),
      ),
    );
    expect(new Set(refs.map(({ name }) => name))).toEqual(new Set([SECRET_NAME]));
    const readme = readFileSync(join(OVERLAY_DIR, 'README.md'), 'utf8');
    const created = new Set([...readme.matchAll(/--from-literal=([\w-]+)=/g)].map((match) => match[1]));
    expect([...new Set(refs.map(({ key }) => key))].sort()).toEqual([...created].sort());
    expect(readme).toContain(`create secret generic ${SECRET_NAME}`);
  });

  it('scrape each Service under the job name the alert rules use', () => {
    const services = ofKind('Service');
    const jobs = ofKind('ServiceMonitor').map((monitor) => {
      const { jobLabel, selector, endpoints } = spec<{
        jobLabel: string;
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      }>(monitor);
      const [service, ...others] = services.filter((candidate) =>
        matches(selector.matchLabels, candidate.metadata.labels),
      );
      expect(others).toEqual([]);
      const servicePorts = spec<{ ports: { name: string }[] }>(service as Manifest).ports.map(
        ({ name }) => name,
      );
      for (const endpoint of endpoints) {
        expect(servicePorts).toContain(endpoint.port);
        expect(endpoint.path).toBe('/metrics');
      }
      return service?.metadata.labels?.[jobLabel];
    });
    const exprs = readRuleGroups(ALERT_RULES_DIR).flatMap(({ rules }) =>
      (rules as { expr?: string }[]).map(({ expr }) => expr ?? ''),
    );
    const ruleJobs = exprs.flatMap((expr) =>
      [...expr.matchAll(/job=~?"([^"]+)"/g)].flatMap((match) => (match[1] as string).split('|')),
    );
    expect(ruleJobs.length).toBeGreaterThan(0);
    expect(jobs.sort()).toEqual([...new Set(ruleJobs)].sort());
  });
});
