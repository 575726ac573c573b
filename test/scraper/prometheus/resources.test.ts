import { describe, expect, it } from 'vitest';
import {
  ResourceCatalog,
  ResourceConverter,
  pluralOf,
  singularOf,
} from '../../../scraper/prometheus/resources.js';

const catalog = new ResourceCatalog([
  { group: 'cheese.io', resource: 'brands', singular: 'brand', namespaced: true },
]);

describe('ResourceCatalog.lookup (RESTMapper stand-in)', () => {
  const cases = [
    { name: 'singular core resource', group: '', resource: 'pod', want: 'pods' },
    { name: 'plural core resource', group: '', resource: 'pods', want: 'pods' },
    {
      name: 'empty group finds apps resources',
      group: '',
      resource: 'deployment',
      want: 'deployments.apps',
    },
    { name: 'explicit group', group: 'apps', resource: 'deployment', want: 'deployments.apps' },
    {
      name: 'group in label form',
      group: 'networking_k8s_io',
      resource: 'ingress',
      want: 'ingresses.networking.k8s.io',
    },
    {
      name: 'the job label is jobs.batch, as for upstream',
      group: '',
      resource: 'job',
      want: 'jobs.batch',
    },
    { name: 'caller-added CRD', group: 'cheese.io', resource: 'brand', want: 'brands.cheese.io' },
    {
      name: 'core before events.k8s.io-like duplicates',
      group: '',
      resource: 'event',
      want: 'events',
    },
    {
      name: 'endpoint is not endpoints (Kind Endpoints is its own singular)',
      group: '',
      resource: 'endpoint',
      want: undefined,
    },
    { name: 'unknown label', group: '', resource: 'instance', want: undefined },
    { name: 'wrong group', group: 'batch', resource: 'deployment', want: undefined },
  ];
  it.each(cases)('$name', ({ group, resource, want }) => {
    const e = catalog.lookup(group, resource);
    expect(e ? (e.group ? `${e.resource}.${e.group}` : e.resource) : undefined).toBe(want);
  });

  it('knows scope', () => {
    expect(catalog.isNamespaced({ group: '', resource: 'nodes' })).toBe(false);
    expect(catalog.isNamespaced({ group: '', resource: 'namespaces' })).toBe(false);
    expect(catalog.isNamespaced({ group: '', resource: 'persistentvolumes' })).toBe(false);
    expect(catalog.isNamespaced({ group: 'apps', resource: 'deployments' })).toBe(true);
    expect(catalog.isNamespaced({ group: 'unknown.io', resource: 'things' })).toBe(true);
  });

  it.each([
    ['pods', 'pod'],
    ['ingresses', 'ingress'],
    ['leases', 'lease'],
    ['networkpolicies', 'networkpolicy'],
    ['storageclasses', 'storageclass'],
  ])('singularOf(%s) = %s, and back', (plural, singular) => {
    expect(singularOf(plural)).toBe(singular);
    expect(pluralOf(singular)).toBe(plural);
  });
});

describe('ResourceConverter', () => {
  it('maps override labels both ways, normalising singular resources', () => {
    const c = new ResourceConverter(
      {
        template: '',
        overrides: {
          pod_name: { group: '', resource: 'pod' },
          microservice: { group: 'apps', resource: 'deployment' },
        },
      },
      catalog,
    );
    expect(c.resourceForLabel('pod_name')).toEqual({ group: '', resource: 'pods' });
    expect(c.resourceForLabel('microservice')).toEqual({ group: 'apps', resource: 'deployments' });
    expect(c.resourceForLabel('pod')).toBeUndefined();
    expect(c.labelForResource({ group: 'apps', resource: 'deployments' })).toBe('microservice');
    expect(() => c.labelForResource({ group: '', resource: 'namespaces' })).toThrow(
      /no generic resource label form/,
    );
  });

  it('keeps an override of a resource the catalog lacks, pluralised', () => {
    const c = new ResourceConverter(
      { template: '', overrides: { flavour: { group: 'ice.io', resource: 'flavour' } } },
      catalog,
    );
    expect(c.resourceForLabel('flavour')).toEqual({ group: 'ice.io', resource: 'flavours' });
  });

  const templates = [
    {
      name: '<<.Resource>> maps known labels only',
      template: '<<.Resource>>',
      label: 'service',
      want: { group: '', resource: 'services' },
    },
    {
      name: '<<.Resource>> skips non-resources',
      template: '<<.Resource>>',
      label: 'instance',
      want: undefined,
    },
    {
      name: 'prefix template',
      template: 'kube_<<.Resource>>',
      label: 'kube_namespace',
      want: { group: '', resource: 'namespaces' },
    },
    {
      name: 'prefix template does not match bare labels',
      template: 'kube_<<.Resource>>',
      label: 'namespace',
      want: undefined,
    },
    {
      name: 'group and resource',
      template: 'kube_<<.Group>>_<<.Resource>>',
      label: 'kube_apps_deployment',
      want: { group: 'apps', resource: 'deployments' },
    },
    // The lazy group capture stops at the first `_`, in Go as here: group "networking", no such resource.
    {
      name: 'dotted groups do not round-trip through underscores, as upstream',
      template: 'kube_<<.Group>>_<<.Resource>>',
      label: 'kube_networking_k8s_io_ingress',
      want: undefined,
    },
    {
      name: 'group in label form after the resource',
      template: '<<.Resource>>__<<.Group>>',
      label: 'ingress__networking_k8s_io',
      want: { group: 'networking.k8s.io', resource: 'ingresses' },
    },
  ];
  it.each(templates)('template: $name', ({ template, label, want }) => {
    expect(
      new ResourceConverter({ template, overrides: {} }, catalog).resourceForLabel(label),
    ).toEqual(want);
  });

  it('renders the template for a resource with sanitised group and singular resource', () => {
    const c = new ResourceConverter(
      { template: 'kube_<<.Group>>_<<.Resource>>', overrides: {} },
      catalog,
    );
    expect(c.labelForResource({ group: 'networking.k8s.io', resource: 'ingresses' })).toBe(
      'kube_networking_k8s_io_ingress',
    );
    expect(
      new ResourceConverter({ template: '<<.Resource>>', overrides: {} }, catalog).labelForResource(
        { group: '', resource: 'namespaces' },
      ),
    ).toBe('namespace');
  });
});
