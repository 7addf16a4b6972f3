import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';

/*
 * The Kubernetes (and Prometheus Operator) JSON schemas of the kinds Chronicle's manifests use,
 * through kubernetes-models. Versions 4.x: 5.x is ESM-only, which jest's CommonJS cannot require.
 * Their schemas check types, enums and required fields, but let unknown fields pass (the API server's
 * field validation would refuse them).
 */

// `never`: each model takes its own kind's shape; the objects are checked at run time instead.
type Model = new (data: never) => { validate(): void };

const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** Throws, naming the object and the first violation, unless it matches its kind's schema. */
export function validateAgainstSchema(object: { apiVersion?: unknown; kind?: unknown }): void {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const model = MODELS[key];
  if (!model) throw new Error(`no schema for ${key}`);
  const { file: _file, ...content } = object as { file?: string };
  try {
    new model(content as never).validate();
  } catch (error) {
    const name = (object as { metadata?: { name?: string } }).metadata?.name;
    throw new Error(`${key} ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
