/**
 * Real-world `resourceRules`, written for these tests after public sources: kube-prometheus'
 * prometheus-adapter ConfigMap (kubelet cAdvisor and /metrics/resource series, window 5m), the
 * prometheus-community prometheus-adapter chart's `rules.resource` example (node-exporter series,
 * window 3m), and the older walkthrough style with a label template and cAdvisor's
 * `container_name` label. Each comes with the queries prometheus-adapter's template arguments
 * give when every object is asked for at once.
 */

/** kube-prometheus: irate over cAdvisor counters, node_* from the kubelet's /metrics/resource. */
export const kubePrometheusRules = `
resourceRules:
  cpu:
    containerLabel: container
    containerQuery: |
      sum by (<<.GroupBy>>) (
        irate (
            container_cpu_usage_seconds_total{<<.LabelMatchers>>,container!="",pod!=""}[4m]
        )
      )
    nodeQuery: |
      sum by (<<.GroupBy>>) (
        irate(
            node_cpu_usage_seconds_total{<<.LabelMatchers>>}[4m]
        )
      )
    resources:
      overrides:
        namespace: {resource: namespace}
        node: {resource: node}
        pod: {resource: pod}
  memory:
    containerLabel: container
    containerQuery: |
      sum by (<<.GroupBy>>) (
        container_memory_working_set_bytes{<<.LabelMatchers>>,container!="",pod!=""}
      )
    nodeQuery: |
      sum by (<<.GroupBy>>) (
        node_memory_working_set_bytes{<<.LabelMatchers>>}
      )
    resources:
      overrides:
        node: {resource: node}
        namespace: {resource: namespace}
        pod: {resource: pod}
  window: 5m
`;

/** The prometheus-adapter chart's `rules.resource` example: rate over 3m, node-exporter nodes. */
export const helmChartRules = `
resourceRules:
  cpu:
    containerQuery: |
      sum by (<<.GroupBy>>) (
        rate(container_cpu_usage_seconds_total{container!="",<<.LabelMatchers>>}[3m])
      )
    nodeQuery: |
      sum  by (<<.GroupBy>>) (
        rate(node_cpu_seconds_total{mode!="idle",mode!="iowait",mode!="steal",<<.LabelMatchers>>}[3m])
      )
    resources:
      overrides:
        node: {resource: node}
        namespace: {resource: namespace}
        pod: {resource: pod}
    containerLabel: container
  memory:
    containerQuery: |
      sum by (<<.GroupBy>>) (
        avg_over_time(container_memory_working_set_bytes{container!="",<<.LabelMatchers>>}[3m])
      )
    nodeQuery: |
      sum by (<<.GroupBy>>) (
        avg_over_time(node_memory_MemTotal_bytes{<<.LabelMatchers>>}[3m])
        -
        avg_over_time(node_memory_MemAvailable_bytes{<<.LabelMatchers>>}[3m])
      )
    resources:
      overrides:
        node: {resource: node}
        namespace: {resource: namespace}
        pod: {resource: pod}
    containerLabel: container
  window: 3m
`;

/** Walkthrough style: a label template instead of overrides, cAdvisor's old `container_name`. */
export const templateRules = `
resourceRules:
  cpu:
    containerQuery: sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)
    nodeQuery: sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>, id='/'}[1m])) by (<<.GroupBy>>)
    resources:
      template: <<.Resource>>
    containerLabel: container_name
  memory:
    containerQuery: sum(container_memory_working_set_bytes{<<.LabelMatchers>>}) by (<<.GroupBy>>)
    nodeQuery: sum(container_memory_working_set_bytes{<<.LabelMatchers>>,id='/'}) by (<<.GroupBy>>)
    resources:
      template: <<.Resource>>
    containerLabel: container_name
  window: 1m
`;

export interface RulesCase {
  name: string;
  yaml: string;
  windowMs: number;
  containerLabel: string;
  /** Distinctive parts of the four queries: cpu containers, cpu nodes, memory containers, memory nodes. */
  queries: [string, string, string, string];
}

export const resourceRulesCases: RulesCase[] = [
  {
    name: 'kube-prometheus',
    yaml: kubePrometheusRules,
    windowMs: 300_000,
    containerLabel: 'container',
    queries: [
      'sum by (pod,container,namespace) (\n  irate (\n      container_cpu_usage_seconds_total{namespace=~".+",pod=~".+",container!="",pod!=""}[4m]',
      'sum by (node) (\n  irate(\n      node_cpu_usage_seconds_total{node=~".+"}[4m]',
      'sum by (pod,container,namespace) (\n  container_memory_working_set_bytes{namespace=~".+",pod=~".+",container!="",pod!=""}',
      'sum by (node) (\n  node_memory_working_set_bytes{node=~".+"}',
    ],
  },
  {
    name: 'prometheus-adapter chart rules.resource',
    yaml: helmChartRules,
    windowMs: 180_000,
    containerLabel: 'container',
    queries: [
      'rate(container_cpu_usage_seconds_total{container!="",namespace=~".+",pod=~".+"}[3m])',
      'rate(node_cpu_seconds_total{mode!="idle",mode!="iowait",mode!="steal",node=~".+"}[3m])',
      'avg_over_time(container_memory_working_set_bytes{container!="",namespace=~".+",pod=~".+"}[3m])',
      'avg_over_time(node_memory_MemAvailable_bytes{node=~".+"}[3m])',
    ],
  },
  {
    name: 'label template with container_name',
    yaml: templateRules,
    windowMs: 60_000,
    containerLabel: 'container_name',
    queries: [
      'sum(rate(container_cpu_usage_seconds_total{namespace=~".+",pod=~".+"}[1m])) by (pod,container_name,namespace)',
      `sum(rate(container_cpu_usage_seconds_total{node=~".+", id='/'}[1m])) by (node)`,
      'sum(container_memory_working_set_bytes{namespace=~".+",pod=~".+"}) by (pod,container_name,namespace)',
      `sum(container_memory_working_set_bytes{node=~".+",id='/'}) by (node)`,
    ],
  },
];
