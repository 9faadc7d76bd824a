/** Condition operators (preconditions, deny, cleanup conditions), including the deprecated and Duration forms. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalOperator, evaluateOperator } from '../../../src/policy/operators.js';

const cases: [string, unknown, unknown, boolean][] = [
  ['Equals', 'a', 'a', true],
  ['Equals', 'nginx:1', 'nginx*', true],
  ['Equals', 'a', 'b', false],
  ['Equals', 0, 0, true],
  ['Equals', 0, '0', true],
  ['Equals', 1, 0, false],
  ['Equals', true, true, true],
  ['Equals', '1Gi', '1024Mi', true],
  ['Equals', '1h', '60m', true],
  ['Equals', { a: 1 }, { a: 1 }, true],
  ['Equals', ['a'], ['b'], false],
  ['Equal', 'x', 'x', true],
  ['NotEquals', 'a', 'b', true],
  ['NotEqual', 'a', 'a', false],
  ['In', 'a', ['a', 'b'], true],
  ['In', 'c', ['a', 'b'], false],
  ['In', ['a', 'b'], ['a', 'b', 'c'], true],
  ['NotIn', 'c', ['a', 'b'], true],
  ['NotIn', 'a', ['a', 'b'], false],
  ['AnyIn', ['a', 'z'], ['a', 'b'], true],
  ['AnyIn', ['y', 'z'], ['a', 'b'], false],
  ['AnyIn', 'kube-system', ['kube-*'], true],
  ['AnyIn', 5, '1-10', true],
  ['AllIn', ['a', 'b'], ['a', 'b', 'c'], true],
  ['AllIn', ['a', 'z'], ['a', 'b'], false],
  ['AnyNotIn', ['a', 'z'], ['a', 'b'], true],
  ['AnyNotIn', ['a', 'b'], ['a', 'b'], false],
  ['AllNotIn', ['y', 'z'], ['a', 'b'], true],
  ['AllNotIn', ['a', 'z'], ['a', 'b'], false],
  ['GreaterThan', 3, 2, true],
  ['GreaterThan', 2, 2, false],
  ['GreaterThanOrEquals', 2, 2, true],
  ['LessThan', '1', 2, true],
  ['LessThanOrEquals', '2Gi', '2048Mi', true],
  ['GreaterThan', '1.10.0', '1.9.0', true],
  ['GreaterThan', '2h', '90m', true],
  ['DurationGreaterThan', '1h0m1s', '1h', true],
  ['DurationGreaterThan', '59m', '1h', false],
  ['DurationLessThan', '30m', '1h', true],
  ['DurationGreaterThanOrEquals', 3600, '1h', true],
  ['DurationLessThanOrEquals', '1h', '1h', true],
  ['equals', 'a', 'a', true],
];

describe('operators', () => {
  for (const [operator, key, value, expected] of cases) {
    test(`${JSON.stringify(key)} ${operator} ${JSON.stringify(value)} → ${expected}`, () => { assert.equal(evaluateOperator(operator, key, value), expected); });
  }
  test('unknown operators are not canonical', () => { assert.equal(canonicalOperator('Contains'), undefined); });
});
