import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoTemplate, TemplateError } from '../../../src/config/rules-template.js';
import { checkTemplateFields } from '../../../src/config/rules-template-check.js';
import {
  executeGoTemplate,
  queryTemplateSchema,
  resourceTemplateSchema,
  type TemplateData,
} from '../../../src/config/rules-template-exec.js';

const args: TemplateData = {
  Series: 'http_requests_total',
  LabelMatchers: 'namespace="ns",pod=~"a|b"',
  LabelValuesByName: { pod: 'a|b', namespace: 'ns' },
  GroupBy: 'pod,namespace',
  GroupBySlice: ['pod', 'namespace'],
};

function render(text: string, data: TemplateData = args): string {
  return executeGoTemplate(parseGoTemplate(text), queryTemplateSchema, data);
}

describe('Go template subset: should render like text/template', () => {
  const cases = [
    {
      name: 'chart default rate query',
      text: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)',
      want: 'sum(rate(http_requests_total{namespace="ns",pod=~"a|b"}[5m])) by (pod,namespace)',
    },
    {
      name: 'GroupBySlice prints as a Go slice',
      text: '<<.GroupBySlice>>',
      want: '[pod namespace]',
    },
    {
      name: 'LabelValuesByName prints as a Go map with sorted keys',
      text: '<<.LabelValuesByName>>',
      want: 'map[namespace:ns pod:a|b]',
    },
    {
      name: 'index into LabelValuesByName',
      text: '<<index .LabelValuesByName "pod">>',
      want: 'a|b',
    },
    {
      name: 'index of a missing key is empty',
      text: '[<<index .LabelValuesByName "node">>]',
      want: '[]',
    },
    {
      name: 'missing key by field syntax is <no value>',
      text: '<<.LabelValuesByName.node>>',
      want: '<no value>',
    },
    { name: 'map key by field syntax', text: '<<.LabelValuesByName.namespace>>', want: 'ns' },
    {
      name: 'range with index and value',
      text: '<<range $i, $l := .GroupBySlice>><<if $i>>,<<end>><<$l>><<end>>',
      want: 'pod,namespace',
    },
    {
      name: 'range with dot as element',
      text: '<<range .GroupBySlice>>[<<.>>]<<end>>',
      want: '[pod][namespace]',
    },
    {
      name: 'range over a map is by sorted key',
      text: '<<range $k, $v := .LabelValuesByName>><<$k>>=<<$v>>;<<end>>',
      want: 'namespace=ns;pod=a|b;',
    },
    {
      name: 'range else on empty slice',
      text: '<<range .GroupBySlice>>x<<else>>none<<end>>',
      want: 'none',
      data: { ...args, GroupBySlice: [] },
    },
    {
      name: 'if / else if / else',
      text: '<<if eq .GroupBy "x">>1<<else if eq .GroupBy "pod,namespace">>2<<else>>3<<end>>',
      want: '2',
    },
    { name: 'with sets dot', text: '<<with .LabelValuesByName.pod>>(<<.>>)<<end>>', want: '(a|b)' },
    { name: 'trim markers', text: 'a  <<- .Series ->>  b', want: 'ahttp_requests_totalb' },
    { name: 'comment renders nothing', text: 'x<</* note */>>y', want: 'xy' },
    {
      name: 'len and printf',
      text: '<<printf "%s:%d" .Series (len .GroupBySlice)>>',
      want: 'http_requests_total:2',
    },
    { name: 'pipeline into a function', text: '<<.GroupBySlice | len>>', want: '2' },
    {
      name: 'variable declaration',
      text: '<<$s := .Series>><<$s>>-<<$.GroupBy>>',
      want: 'http_requests_total-pod,namespace',
    },
    {
      name: 'and/or return operands',
      text: '<<or "" .Series>> <<and .Series "y">>',
      want: 'http_requests_total y',
    },
    {
      name: 'string with >> inside',
      text: '<<printf ">>%s" .Series>>',
      want: '>>http_requests_total',
    },
    { name: 'text without actions', text: 'up', want: 'up' },
  ];
  it.each(cases)('$name', ({ text, want, data }) => {
    expect(render(text, data ?? args)).toBe(want);
  });

  it('resource template renders with Group and Resource', () => {
    const t = parseGoTemplate('kube_<<.Group>>_<<.Resource>>');
    expect(
      executeGoTemplate(t, resourceTemplateSchema, { Group: 'apps', Resource: 'deployment' }),
    ).toBe('kube_apps_deployment');
  });
});

describe('Go template subset: should fail', () => {
  const parseCases = [
    { name: 'unclosed action', text: 'sum(<<.Series', message: /unclosed action/ },
    { name: 'missing end', text: '<<if .Series>>x', message: /missing <<end>>/ },
    { name: 'stray end', text: 'x<<end>>', message: /unexpected <<end>>/ },
    { name: 'stray else', text: '<<else>>', message: /unexpected <<else>>/ },
    {
      name: 'undefined function (join is not a Go builtin)',
      text: '<<join .GroupBySlice ",">>',
      message: /function "join" not defined/,
    },
    {
      name: 'Go builtin outside the subset',
      text: '<<urlquery .Series>>',
      message: /not supported/,
    },
    { name: 'undefined variable', text: '<<$x>>', message: /undefined variable: \$x/ },
    { name: 'define is not supported', text: '<<define "x">>y<<end>>', message: /not supported/ },
    { name: 'empty action', text: '<<>>', message: /missing value/ },
  ];
  it.each(parseCases)('parse: $name', ({ text, message }) => {
    expect(() => parseGoTemplate(text)).toThrow(TemplateError);
    expect(() => parseGoTemplate(text)).toThrow(message);
  });

  const execCases = [
    {
      name: 'unknown field on the args',
      text: '<<.Seriess>>',
      message: /can't evaluate field Seriess in type naming.queryTemplateArgs/,
    },
    {
      name: 'field of a string',
      text: '<<.Series.x>>',
      message: /can't evaluate field x in type string/,
    },
    {
      name: 'index out of range',
      text: '<<index .GroupBySlice 5>>',
      message: /index out of range/,
    },
    { name: 'argument to a non-function', text: '<<.Series | .GroupBy>>', message: /non-function/ },
  ];
  it.each(execCases)('execute: $name', ({ text, message }) => {
    expect(() => render(text)).toThrow(message);
  });
});

describe('checkTemplateFields', () => {
  const cases = [
    {
      name: 'typo in a branch never taken',
      text: '<<if .Series>>ok<<else>><<.Bogus>><<end>>',
      want: 1,
    },
    {
      name: 'field on range element (a string)',
      text: '<<range .GroupBySlice>><<.Name>><<end>>',
      want: 1,
    },
    {
      name: '$ reaches the root inside range',
      text: '<<range .GroupBySlice>><<$.Series>><<end>>',
      want: 0,
    },
    { name: 'map keys are free', text: '<<.LabelValuesByName.anything>>', want: 0 },
    {
      name: 'chart default query is clean',
      text: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      want: 0,
    },
  ];
  it.each(cases)('$name', ({ text, want }) => {
    expect(checkTemplateFields(parseGoTemplate(text), queryTemplateSchema)).toHaveLength(want);
  });
});

describe('template properties', () => {
  it('text without delimiters renders verbatim', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('<<')),
        (s) => {
          expect(render(s)).toBe(s);
        },
      ),
    );
  });

  it('Series renders as given for any series name and any surrounding text', () => {
    fc.assert(
      fc.property(
        // A trailing `<` would join the delimiter (`<<<`), which Go's lexer also reads as `<<` first.
        fc.string().filter((s) => !s.includes('<<') && !s.endsWith('<')),
        fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/),
        (pre, series) => {
          expect(render(`${pre}<<.Series>>${pre}`, { ...args, Series: series })).toBe(
            `${pre}${series}${pre}`,
          );
        },
      ),
    );
  });

  it('arbitrary input either parses or fails with TemplateError, and execution never throws anything else', () => {
    const piece = fc.constantFrom(
      '<<',
      '>>',
      '.Series',
      '.GroupBySlice',
      ' ',
      'range ',
      'if ',
      'end',
      'else',
      '$x',
      ':=',
      '"',
      '|',
      'index',
      '(',
      ')',
      '-',
      'x',
      '$',
      '.',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join('');
        try {
          render(text);
        } catch (err) {
          expect(err).toBeInstanceOf(TemplateError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
