import { readFileSync } from 'node:fs';
import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMonitor } from '../../src/index';

// examples/grafana-dashboard.json and examples/prometheus-alerts.yaml may only
// query what /metrics serves: every metric name in their PromQL, and every
// label value they match exactly or by a regular expression.

const examples = new URL('../../../../examples/', import.meta.url);
const env = { BREAKWATER_JWT_SECRET: 'examples-test-secret-that-is-long-enough' };

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

interface Selector {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

const matcherPattern = /([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition. */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line);
      if (match === null) throw new Error(`Not an exposition line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(matcherPattern)].map(([, label, , value]) => [label, value]),
      );
      return { name: match[1] ?? '', labels };
    });
}

/** Grafana's variables as Prometheus would see them: every service, a 5-minute range. */
function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__\w+/g, '5m').replace(/\$\{?\w+(?::\w+)?\}?/g, '.*');
}

const tokenPattern =
  /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\{[^}]*\}|\[[^\]]*\]|\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-z_:][A-Za-z0-9_:]*|\S/g;
/** Words followed by a list of label names, not metrics. */
const labelListKeywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const operatorKeywords = new Set(['and', 'or', 'unless', 'bool', 'offset']);

/** The metric selectors of a PromQL expression (functions, keywords and label lists skipped). */
function selectorsOf(expr: string): Selector[] {
  const tokens: string[] = expr.replace(/#.*$/gm, '').match(tokenPattern) ?? [];
  const selectors: Selector[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    if (!/^[A-Za-z_:]/.test(token)) continue;
    const next = tokens[index + 1];
    if (labelListKeywords.has(token)) {
      if (next === '(') index = tokens.indexOf(')', index);
      continue;
    }
    // A function, an aggregation before its `by (…)`, or an operator.
    if (next === '(' || labelListKeywords.has(next ?? '') || operatorKeywords.has(token)) continue;
    const braces = next?.startsWith('{') ? next : '{}';
    const matchers = [...braces.matchAll(matcherPattern)].map(([, label, op, value]) => ({
      label: label ?? '',
      op: op as Matcher['op'],
      value: value ?? '',
    }));
    selectors.push({ metric: token, matchers });
  }
  return selectors;
}

/** Every PromQL expression of the Grafana dashboard: panel targets and the variables' queries. */
function dashboardExpressions(dashboard: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (key === 'expr') found.push(node);
      if (key === 'query' || key === 'definition') {
        const labelValues = /^label_values\((.*),\s*\w+\)$/.exec(node);
        if (labelValues) found.push(labelValues[1] ?? '');
      }
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const [childKey, child] of Object.entries(node)) visit(child, childKey);
    }
  };
  visit(dashboard);
  return found;
}

interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
}

function alertRules(): AlertRule[] {
  const file = parse(readFileSync(new URL('prometheus-alerts.yaml', examples), 'utf8')) as {
    groups: { name: string; rules: AlertRule[] }[];
  };
  return file.groups.flatMap((group) => group.rules);
}

function dashboard(): unknown {
  return JSON.parse(readFileSync(new URL('grafana-dashboard.json', examples), 'utf8'));
}

/** A monitor over a fleet that has done what every metric needs to have a sample: failures, a finished recovery. */
async function scrape(): Promise<Sample[]> {
  const clock = new FakeClock();
  const registry = new Registry({
    clock,
    services: {
      quotes: { failureThreshold: 1, resetTimeout: 1_000, successThreshold: 1, latencySampling: 1 },
      wallet: { dependsOn: ['quotes'] },
    },
  });
  const monitor = createMonitor({ registry, env, history: { clock } });
  const quotes = registry.breaker('quotes');
  await quotes.execute(async () => Promise.reject(new TypeError('down'))).catch(() => undefined);
  await quotes.execute(async () => 'never runs').catch(() => undefined);
  clock.advance(1_000);
  await quotes.execute(async () => 'back');
  const response = await monitor.handler(new Request('http://localhost/metrics'));
  await monitor.stop();
  return parseExposition(await response.text());
}

function fullMatch(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

/** What an expression asks for that the scrape does not have: unknown metrics, unmatched label values. */
function missing(expr: string, samples: readonly Sample[]): string[] {
  const problems: string[] = [];
  for (const { metric, matchers } of selectorsOf(withoutGrafanaVariables(expr))) {
    const series = samples.filter((sample) => sample.name === metric);
    if (series.length === 0) {
      problems.push(`${metric} is not served`);
      continue;
    }
    for (const { label, op, value } of matchers) {
      const values = series.map((sample) => sample.labels[label]);
      if (values.every((served) => served === undefined))
        problems.push(`${metric} has no label ${label}`);
      else if (op === '=' && !values.includes(value))
        problems.push(`${metric}{${label}="${value}"} is never served`);
      else if (op === '=~' && !values.some((served) => fullMatch(value, served ?? '')))
        problems.push(`${metric}{${label}=~"${value}"} matches nothing served`);
      else if (op === '=~')
        for (const alternative of value.split('|').filter((part) => /^[\w-]+$/.test(part)))
          if (!values.includes(alternative))
            problems.push(`${metric}{${label}=~"…${alternative}…"} is never served`);
    }
  }
  return problems;
}

describe('the monitoring examples', () => {
  it('extracts metric names and matchers from PromQL, past functions, keywords and label lists', () => {
    const expr = withoutGrafanaVariables(
      'topk(5, sum by (service, error) (rate(breakwater_failures_by_error_total{service=~"$service"}[$__rate_interval])))' +
        ' / on (service) group_left () max without (state) (breakwater_circuit_state{state="open"} == bool 1) or vector(0)',
    );
    expect(selectorsOf(expr)).toEqual([
      {
        metric: 'breakwater_failures_by_error_total',
        matchers: [{ label: 'service', op: '=~', value: '.*' }],
      },
      {
        metric: 'breakwater_circuit_state',
        matchers: [{ label: 'state', op: '=', value: 'open' }],
      },
    ]);
  });

  it('every metric and label value the Grafana dashboard queries is served by /metrics', async () => {
    const samples = await scrape();
    const expressions = dashboardExpressions(dashboard());
    expect(expressions.length).toBeGreaterThan(10);
    for (const expr of expressions) {
      expect(selectorsOf(withoutGrafanaVariables(expr)).length, expr).toBeGreaterThan(0);
      expect(missing(expr, samples), expr).toEqual([]);
    }
    const used = new Set(
      expressions.flatMap((expr) =>
        selectorsOf(withoutGrafanaVariables(expr)).map((selector) => selector.metric),
      ),
    );
    // State, calls/s, failure rate and rejections, p95, transitions, recoveries, errors.
    for (const metric of [
      'breakwater_circuit_state',
      'breakwater_calls_total',
      'breakwater_call_duration_seconds_bucket',
      'breakwater_transitions_total',
      'breakwater_recovery_success_rate',
      'breakwater_recovery_exhausted_total',
      'breakwater_failures_by_error_total',
    ])
      expect(used).toContain(metric);
  });

  it('every metric and label value the Prometheus alert rules use is served by /metrics', async () => {
    const samples = await scrape();
    const rules = alertRules();
    expect(rules.map((rule) => rule.alert)).toEqual([
      'BreakwaterCircuitOpen',
      'BreakwaterCircuitOpenTooLong',
      'BreakwaterRecoveryExhausted',
    ]);
    expect(rules[1]?.for).toBe('5m');
    for (const { expr } of rules) {
      expect(selectorsOf(expr).length, expr).toBeGreaterThan(0);
      expect(missing(expr, samples), expr).toEqual([]);
    }
  });
});
