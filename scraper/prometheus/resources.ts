/**
 * Label ↔ Kubernetes resource association for one rule (prometheus-adapter pkg/naming
 * resource_converter.go and lbl_res.go): `overrides` name labels explicitly; `template` (such as
 * `<<.Resource>>` or `kube_<<.Group>>_<<.Resource>>`) turns every label of that form into a group
 * resource. Upstream normalises through the cluster's RESTMapper, which knows plurals, groups and
 * scope; here a {@link ResourceCatalog} plays that part: the built-in table of Kubernetes resources
 * plus any the caller adds (CRDs). A template-derived label the catalog does not know is not a
 * resource, as upstream skips labels the RESTMapper cannot normalise.
 * @module
 */
import {
  compileGoRegex,
  goRegexExec,
  executeGoTemplate,
  parseGoTemplate,
  resourceTemplateSchema,
  type GoRegex,
  type GoTemplate,
  type ResourceMapping,
} from '../../src/config/index.js';
import { groupResourceString, type GroupResource } from '../../src/store/index.js';
import { PrometheusError } from './errors.js';

export interface CatalogEntry extends GroupResource {
  singular: string;
  namespaced: boolean;
}

const builtin: [group: string, namespaced: string[], cluster: string[]][] = [
  [
    '',
    [
      'pods',
      'services',
      'endpoints',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'configmaps',
      'secrets',
      'serviceaccounts',
      'events',
      'limitranges',
      'resourcequotas',
      'podtemplates',
    ],
    ['namespaces', 'nodes', 'persistentvolumes'],
  ],
  ['apps', ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'controllerrevisions'], []],
  ['batch', ['jobs', 'cronjobs'], []],
  ['autoscaling', ['horizontalpodautoscalers'], []],
  ['networking.k8s.io', ['ingresses', 'networkpolicies'], ['ingressclasses']],
  ['policy', ['poddisruptionbudgets'], []],
  ['discovery.k8s.io', ['endpointslices'], []],
  ['coordination.k8s.io', ['leases'], []],
  ['rbac.authorization.k8s.io', ['roles', 'rolebindings'], ['clusterroles', 'clusterrolebindings']],
  ['storage.k8s.io', [], ['storageclasses', 'volumeattachments', 'csidrivers', 'csinodes']],
  ['scheduling.k8s.io', [], ['priorityclasses']],
  ['certificates.k8s.io', [], ['certificatesigningrequests']],
  ['apiextensions.k8s.io', [], ['customresourcedefinitions']],
];

/** English singular of a Kubernetes plural, as the RESTMapper's ResourceSingularizer guesses it. */
export function singularOf(plural: string): string {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes)$/.test(plural)) return plural.slice(0, -2);
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

/** English plural of a singular resource name, for overrides naming resources the catalog lacks. */
export function pluralOf(singular: string): string {
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(singular)) return `${singular}es`;
  return `${singular}s`;
}

/** `.` and `-` become `_` in a group used inside a label name (resource_converter.go GroupNameSanitizer). */
export function sanitizeGroup(group: string): string {
  return group.replace(/[.-]/g, '_');
}

/** The RESTMapper stand-in: which group resources exist, their singular form and scope. */
export class ResourceCatalog {
  private readonly entries: CatalogEntry[];

  constructor(extra: readonly CatalogEntry[] = []) {
    // Kind Endpoints is its own singular, so a Prometheus `endpoint` label is not the endpoints resource.
    const singular = (r: string): string => (r === 'endpoints' ? r : singularOf(r));
    const base = builtin.flatMap(([group, ns, cluster]) => [
      ...ns.map((resource) => ({
        group,
        resource,
        singular: singular(resource),
        namespaced: true,
      })),
      ...cluster.map((resource) => ({
        group,
        resource,
        singular: singular(resource),
        namespaced: false,
      })),
    ]);
    this.entries = [...extra, ...base];
  }

  /**
   * The canonical entry for `resource` (plural or singular) in `group`. An empty group matches any
   * group, core first, as RESTMapper.ResourceFor does; the group may also be in label form
   * (`networking_k8s_io`).
   */
  lookup(group: string, resource: string): CatalogEntry | undefined {
    const r = resource.toLowerCase();
    const named = this.entries.filter((e) => e.resource === r || e.singular === r);
    if (group === '') return named.find((e) => e.group === '') ?? named[0];
    return (
      named.find((e) => e.group === group) ?? named.find((e) => sanitizeGroup(e.group) === group)
    );
  }

  /** Scope of a group resource; unknown ones are taken as namespaced (most CRDs are). */
  isNamespaced(gr: GroupResource): boolean {
    return this.lookup(gr.group, gr.resource)?.namespaced ?? true;
  }
}

/** The namespace group resource (resource_converter.go NsGroupResource). */
export const namespacesResource: GroupResource = { group: '', resource: 'namespaces' };

/** One rule's label ↔ resource mapping. */
export class ResourceConverter {
  private readonly labelToResource = new Map<string, GroupResource | null>();
  private readonly resourceToLabel = new Map<string, string>();
  private readonly template: GoTemplate | undefined;
  private readonly extractor: GoRegex | undefined;

  constructor(
    mapping: ResourceMapping,
    private readonly catalog: ResourceCatalog,
  ) {
    for (const [label, ref] of Object.entries(mapping.overrides)) {
      const entry = catalog.lookup(ref.group, ref.resource);
      const gr = entry
        ? { group: entry.group, resource: entry.resource }
        : { group: ref.group, resource: pluralOf(ref.resource.toLowerCase()) };
      this.labelToResource.set(label, gr);
      this.resourceToLabel.set(groupResourceString(gr), label);
    }
    if (mapping.template !== '') {
      this.template = parseGoTemplate(mapping.template);
      const pattern = executeGoTemplate(this.template, resourceTemplateSchema, {
        Group: '(?P<group>.+?)',
        Resource: '(?P<resource>.+?)',
      });
      this.extractor = compileGoRegex(`^${pattern}$`);
    }
  }

  /** The resource a label names, or undefined (ResourcesForSeries for one label). */
  resourceForLabel(label: string): GroupResource | undefined {
    const known = this.labelToResource.get(label);
    if (known !== undefined) return known ?? undefined;
    const found = this.extract(label);
    this.labelToResource.set(label, found ?? null);
    return found;
  }

  /**
   * The label holding names of `gr` (LabelForResource): an override, else the template rendered
   * with the sanitised group and singular resource. Throws `query_build` when there is neither.
   */
  labelForResource(gr: GroupResource): string {
    const key = groupResourceString(gr);
    const known = this.resourceToLabel.get(key);
    if (known !== undefined) return known;
    if (!this.template)
      throw new PrometheusError(
        'query_build',
        `unable to convert resource ${key} into label: no generic resource label form specified for this metric`,
      );
    const singular =
      this.catalog.lookup(gr.group, gr.resource)?.singular ?? singularOf(gr.resource);
    const label = executeGoTemplate(this.template, resourceTemplateSchema, {
      Group: sanitizeGroup(gr.group),
      Resource: singular,
    });
    if (label === '')
      throw new PrometheusError(
        'query_build',
        `unable to convert resource ${key} into label: empty label produced by label template`,
      );
    this.resourceToLabel.set(key, label);
    return label;
  }

  private extract(label: string): GroupResource | undefined {
    if (!this.extractor) return undefined;
    const m = goRegexExec(this.extractor, label);
    if (!m) return undefined;
    const groupIndex = this.extractor.groupNames.indexOf('group');
    const group = groupIndex > 0 ? (m[groupIndex] ?? '') : '';
    const resource = m[this.extractor.groupNames.indexOf('resource')] ?? '';
    const entry = this.catalog.lookup(group, resource);
    return entry ? { group: entry.group, resource: entry.resource } : undefined;
  }
}
