import { describe, expect, it } from 'vitest';
import { parseGoTemplate } from '../../../src/config/index.js';
import { everything, parseSelector } from '../../../src/k8s/index.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { allObjects, MetricsQuery } from '../../../scraper/prometheus/query-builder.js';
import { ResourceCatalog, ResourceConverter } from '../../../scraper/prometheus/resources.js';

const catalog = new ResourceCatalog();
const converter = new ResourceConverter(
  {
    template: '',
    overrides: {
      namespace: { group: '', resource: 'namespace' },
      pod: { group: '', resource: 'pod' },
      svc: { group: '', resource: 'services' },
    },
  },
  catalog,
);
const pods = { group: '', resource: 'pods' };
const query = (
  text: string,
  namespaced = true,
  replacements: { find: string; replace: string }[] = [],
): MetricsQuery => new MetricsQuery(parseGoTemplate(text), converter, namespaced, replacements);

describe('MetricsQuery.build (metrics_query.go Build)', () => {
  const cases = [
    {
      name: 'series',
      text: 'series <<.Series>>',
      ns: undefined,
      names: ['a'],
      sel: '',
      want: 'series http_requests_total',
    },
    {
      name: 'single LabelMatchers value',
      text: '<<.LabelMatchers>>',
      ns: undefined,
      names: ['bar'],
      sel: '',
      want: 'pod="bar"',
    },
    {
      name: 'multiple LabelMatchers values',
      text: '<<.LabelMatchers>>',
      ns: undefined,
      names: ['bar', 'baz'],
      sel: '',
      want: 'pod=~"bar|baz"',
    },
    {
      name: 'namespace before the resource',
      text: '<<.LabelMatchers>>',
      ns: 'default',
      names: ['bar', 'baz'],
      sel: '',
      want: 'namespace="default",pod=~"bar|baz"',
    },
    {
      name: 'metric selector first, sorted by key',
      text: '<<.LabelMatchers>>',
      ns: 'default',
      names: ['bar'],
      sel: 'verb=GET,code in (500,503)',
      want: 'code=~"500|503",verb="GET",namespace="default",pod="bar"',
    },
    {
      name: 'LabelValuesByName with namespace',
      text: '<<index .LabelValuesByName "namespace">> <<index .LabelValuesByName "pod">>',
      ns: 'default',
      names: ['bar', 'baz'],
      sel: '',
      want: 'default bar|baz',
    },
    {
      name: 'GroupBy and GroupBySlice',
      text: '<<.GroupBy>> <<.GroupBySlice>>',
      ns: 'default',
      names: ['bar'],
      sel: '',
      want: 'pod [pod]',
    },
    {
      name: 'values are Go-quoted',
      text: '<<.LabelMatchers>>',
      ns: 'default',
      names: ['a"b\\c'],
      sel: '',
      want: 'namespace="default",pod="a\\"b\\\\c"',
    },
    {
      name: 'chart default query',
      text: 'sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[5m])) by (<<.GroupBy>>)',
      ns: 'shop',
      names: ['web-1', 'web-2'],
      sel: '',
      want: 'sum(rate(http_requests_total{namespace="shop",pod=~"web-1|web-2",container!="POD"}[5m])) by (pod)',
    },
  ];
  it.each(cases)('$name', ({ text, ns, names, sel, want }) => {
    expect(query(text).build('http_requests_total', pods, ns, [], parseSelector(sel), names)).toBe(
      want,
    );
  });

  it('queries every object in every namespace for the collection cycle, grouped by namespace too', () => {
    const q = query('sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)').build(
      'x',
      pods,
      allObjects,
      ['namespace'],
      everything,
      allObjects,
    );
    expect(q).toBe('sum(x{namespace=~".+",pod=~".+"}) by (pod,namespace)');
  });

  it('fails with query_build when the resource has no label', () => {
    const q = query('<<.LabelMatchers>>');
    expect(() =>
      q.build('x', { group: 'apps', resource: 'deployments' }, undefined, [], everything, ['a']),
    ).toThrow(/no generic resource label form/);
  });

  it('fails with query_build when the template renders nothing', () => {
    const q = query('<<if eq .Series "none">>x<<end>>');
    expect(() => q.build('x', pods, undefined, [], everything, ['a'])).toThrow(PrometheusError);
  });
});

describe('selector requirements to matchers (selectMatcher, selectTargetValue)', () => {
  const cases = [
    { name: 'equals', sel: 'a=x', want: 'a="x"' },
    { name: 'double equals', sel: 'a==x', want: 'a="x"' },
    { name: 'not equals', sel: 'a!=x', want: 'a!="x"' },
    { name: 'in with one value is a regex match', sel: 'a in (x)', want: 'a=~"x"' },
    { name: 'in with values', sel: 'a in (x,y)', want: 'a=~"x|y"' },
    { name: 'notin', sel: 'a notin (x,y)', want: 'a!~"x|y"' },
    { name: 'exists', sel: 'a', want: 'a!=""' },
    { name: 'does not exist', sel: '!a', want: 'a=""' },
  ];
  it.each(cases)('$name', ({ sel, want }) => {
    expect(query('<<.LabelMatchers>>').buildExternal('x', undefined, parseSelector(sel))).toBe(
      want,
    );
  });
});

describe('MetricsQuery.buildExternal (BuildExternal)', () => {
  const cases = [
    {
      name: 'namespaced rule adds the namespace after the selector',
      namespaced: true,
      ns: 'default',
      sel: 'queue=orders',
      text: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (name)',
      want: 'sum(q{queue="orders",namespace="default"}) by (name)',
    },
    {
      name: 'namespaced: false ignores the namespace',
      namespaced: false,
      ns: 'default',
      sel: 'queue=orders',
      text: '<<.LabelMatchers>>',
      want: 'queue="orders"',
    },
    {
      name: 'empty GroupBy and GroupBySlice',
      namespaced: true,
      ns: 'default',
      sel: '',
      text: '[<<.GroupBy>>] <<.GroupBySlice>>',
      want: '[] []',
    },
    {
      name: 'LabelValuesByName map',
      namespaced: true,
      ns: 'default',
      sel: 'foo in (bar,baz)',
      text: '<<.LabelValuesByName>>',
      want: 'map[foo:bar|baz namespace:default]',
    },
  ];
  it.each(cases)('$name', ({ namespaced, ns, sel, text, want }) => {
    expect(query(text, namespaced).buildExternal('q', ns, parseSelector(sel))).toBe(want);
  });

  it('applies labelValueReplacements to LabelValuesByName only', () => {
    const q = query('<<.LabelMatchers>> <<index .LabelValuesByName "topic">>', true, [
      { find: '.', replace: '_' },
    ]);
    expect(q.buildExternal('q', undefined, parseSelector('topic=a.b'))).toBe('topic="a.b" a_b');
  });

  it('fails for a namespaced rule without a namespace label', () => {
    const bare = new MetricsQuery(
      parseGoTemplate('sum(<<.Series>>{<<.LabelMatchers>>})'),
      new ResourceConverter({ template: '', overrides: {} }, catalog),
      true,
    );
    expect(() => bare.buildExternal('q', 'default', everything)).toThrow(
      /unable to convert resource namespaces into label/,
    );
    expect(bare.buildExternal('q', undefined, everything)).toBe('sum(q{})');
  });
});
