/**
 * The queries of one collection cycle, as data: one per custom metric and group resource over
 * every object and namespace (not one per object or request, as prometheus-adapter issues them),
 * one per external metric and namespace it was seen in (or one in all for `namespaced: false`
 * rules, the exact query upstream would send for an empty selector), and one per selector that
 * clients have recently asked for. Each job names the store entry it fills.
 * @module
 */
import { everything, type Selector } from '../../src/k8s/index.js';
import {
  customKey,
  externalKey,
  selectorKey,
  type CustomMetricInfo,
  type CustomValuesInput,
  type DropCounts,
  type ExternalValuesInput,
} from '../../src/store/index.js';
import type { QueryResult } from './decode.js';
import type { CollectionPlan } from './discovery.js';
import { PrometheusError } from './errors.js';
import { customPlanKey, type CustomMetricPlan, type ExternalMetricPlan } from './naming.js';
import { allObjects } from './query-builder.js';
import { namespacesResource } from './resources.js';
import { customSamples, externalSamples } from './results.js';

export interface JobValues {
  custom?: CustomValuesInput;
  external?: ExternalValuesInput;
  dropped: DropCounts;
}

export interface QueryJob {
  /** The store entry this job fills (customKey / externalKey). */
  key: string;
  /** What the job is about, for logs: `custom pods/http_requests`. */
  subject: string;
  /** The PromQL, or why it could not be built (then the job fails without a request). */
  query: string | PrometheusError;
  toValues(result: QueryResult): JobValues;
}

/** Selectors clients asked for recently, collected each cycle like the base values. */
export interface SelectorInterest {
  custom: { info: CustomMetricInfo; selector: Selector }[];
  external: { namespace: string; metric: string; selector: Selector }[];
}

function built(fn: () => string): string | PrometheusError {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PrometheusError) return err;
    throw err;
  }
}

export function customJob(plan: CustomMetricPlan, selector: Selector): QueryJob {
  const { info, namer, seriesName } = plan;
  const sel = selectorKey(selector);
  let resourceLabel = '';
  let namespaceLabel: string | undefined;
  const query = built(() => {
    resourceLabel = namer.query.labelFor(info.groupResource);
    namespaceLabel = info.namespaced ? namer.query.labelFor(namespacesResource) : undefined;
    const extra = namespaceLabel === undefined ? [] : [namespaceLabel];
    return namer.query.build(
      seriesName,
      info.groupResource,
      info.namespaced ? allObjects : undefined,
      extra,
      selector,
      allObjects,
    );
  });
  return {
    key: customKey(info, sel),
    subject: `custom ${customPlanKey(info)}${sel ? ` {${sel}}` : ''}`,
    query,
    toValues(result) {
      const { samples, dropped } = customSamples(result, {
        metric: info.metric,
        resourceLabel,
        namespaceLabel,
      });
      return { custom: { info, selector: sel, samples }, dropped };
    },
  };
}

export function externalJob(
  plan: ExternalMetricPlan,
  namespace: string | undefined,
  selector: Selector,
): QueryJob {
  const sel = selectorKey(selector);
  const ns = plan.namer.query.namespaced ? namespace : undefined;
  return {
    key: externalKey(plan.metric, ns, sel),
    subject: `external ${plan.metric}${ns === undefined ? '' : ` in ${ns}`}${sel ? ` {${sel}}` : ''}`,
    query: built(() => plan.namer.query.buildExternal(plan.seriesName, ns, selector)),
    toValues(result) {
      const { samples, dropped } = externalSamples(result, plan.metric);
      return { external: { metric: plan.metric, namespace: ns, selector: sel, samples }, dropped };
    },
  };
}

/** Every job of one cycle; jobs for the same store entry are kept once. */
export function planJobs(plan: CollectionPlan, interest: SelectorInterest): QueryJob[] {
  const jobs = new Map<string, QueryJob>();
  const add = (job: QueryJob): void => {
    if (!jobs.has(job.key)) jobs.set(job.key, job);
  };
  for (const p of plan.custom.values()) add(customJob(p, everything));
  for (const p of plan.external.values()) {
    if (!p.namer.query.namespaced) add(externalJob(p, undefined, everything));
    else for (const ns of p.namespaces) add(externalJob(p, ns, everything));
  }
  for (const i of interest.custom) {
    const p = plan.custom.get(customPlanKey(i.info));
    if (p) add(customJob(p, i.selector));
  }
  for (const i of interest.external) {
    const p = plan.external.get(i.metric);
    if (p) add(externalJob(p, i.namespace, i.selector));
  }
  return [...jobs.values()];
}
