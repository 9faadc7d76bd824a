/** Variable substitution and Kyverno's custom JMESPath functions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { substituteString, substituteTree } from '../../../src/policy/variables.js';
import { compileExpression, searchExpression } from '../../../src/policy/jmespath.js';
import { withClock } from '../../../src/policy/functions/index.js';
import { formatGoDuration } from '../../../src/model/duration.js';

const scope = (data: Record<string, unknown>, isDelete = false) => ({ data, isDelete });
const request = { request: { object: { metadata: { name: 'web', labels: { app: 'shop' } }, spec: { replicas: 3 } }, oldObject: { metadata: { name: 'old' } }, operation: 'CREATE' } };

describe('substitution', () => {
  test('a whole-string variable keeps its type', () => { assert.equal(substituteString('{{ request.object.spec.replicas }}', scope(request)), 3); });
  test('variables inside text are spliced as text, objects as JSON', () => {
    assert.equal(substituteString('name={{request.object.metadata.name}}', scope(request)), 'name=web');
    assert.equal(substituteString('l={{ request.object.metadata.labels }}', scope(request)), 'l={"app":"shop"}');
  });
  test('escaped braces stay literal', () => { assert.equal(substituteString('\\{{ not.a.variable }}', scope(request)), '{{ not.a.variable }}'); });
  test('nested variables are substituted again, {{- }} is not', () => {
    const data = { ...request, template: '{{ request.object.metadata.name }}' };
    assert.equal(substituteString('x {{ template }}', scope(data)), 'x web');
    assert.equal(substituteString('x {{- template }}', scope(data)), 'x {{ request.object.metadata.name }}');
  });
  test('DELETE requests read request.oldObject', () => { assert.equal(substituteString('{{ request.object.metadata.name }}', scope(request, true)), 'old'); });
  test('map keys are substituted', () => { assert.deepEqual(substituteTree({ '{{ request.object.metadata.name }}': 1 }, scope(request)), { web: 1 }); });
  test('a missing field gives null', () => { assert.equal(substituteString('{{ request.object.nothing }}', scope(request)), null); });
  test('a JMESPath type error names the variable and path', () => {
    assert.throws(() => substituteTree({ a: '{{ to_upper(request.object.spec.replicas) }}' }, scope(request)), /to_upper.*at a/);
  });
  test('{{@}} reads the object at the same path', () => { assert.deepEqual(substituteTree({ metadata: { name: '{{@}}' } }, scope(request)), { metadata: { name: 'web' } }); });
});

describe('JMESPath', () => {
  test('syntax errors are reported', () => { assert.throws(() => compileExpression('request.object.[?'), /JMESPath syntax error/); });
  test('unknown functions are reported at compile time', () => { assert.throws(() => compileExpression('no_such_fn(@)'), /unknown JMESPath function no_such_fn\(\)/); });
  const cases: [string, unknown, unknown][] = [
    ["to_upper('ab')", {}, 'AB'],
    ["to_lower('AB')", {}, 'ab'],
    ["split('a,b', ',')", {}, ['a', 'b']],
    ["replace_all('a-b-c', '-', '+')", {}, 'a+b+c'],
    ["replace('a-b-c', '-', '+', `1`)", {}, 'a+b-c'],
    ["replace('a-b-c', '-', '+', `-1`)", {}, 'a+b+c'],
    ["regex_match('^v[0-9]+$', 'v12')", {}, true],
    ["regex_match('^v[0-9]+$', 'x12')", {}, false],
    ["regex_replace_all('([a-z]+)-([0-9]+)', 'web-12', '${2}-${1}')", {}, '12-web'],
    ["pattern_match('nginx*', 'nginx:1')", {}, true],
    ["base64_decode('aGVsbG8=')", {}, 'hello'],
    ["base64_encode('hello')", {}, 'aGVsbG8='],
    ["trim_prefix('v1.2', 'v')", {}, '1.2'],
    ["truncate('abcdef', `3`)", {}, 'abc'],
    ["equal_fold('AbC', 'aBc')", {}, true],
    ["compare('a', 'b')", {}, -1],
    ["to_boolean('TRUE')", {}, true],
    ["parse_yaml('a: 1')", {}, { a: 1 }],
    ['parse_json(\'{"a":[1]}\')', {}, { a: [1] }],
    ["label_match(`{\"app\":\"web\"}`, `{\"app\":\"web\",\"x\":\"y\"}`)", {}, true],
    ["semver_compare('1.2.3', '>1.0.0')", {}, true],
    ["semver_compare('0.9.0', '>1.0.0')", {}, false],
    ["path_canonicalize('/a/../b//c/')", {}, '/b/c'],
    ['add(`1`, `2`)', {}, 3],
    ["add('1h', '30m')", {}, '1h30m0s'],
    ['subtract(`5`, `2`)', {}, 3],
    ['multiply(`3`, `4`)', {}, 12],
    ['divide(`9`, `3`)', {}, 3],
    ['modulo(`7`, `3`)', {}, 1],
    ['round(`1.256`, `2`)', {}, 1.26],
    ["object_from_lists(`[\"a\",\"b\"]`, `[1,2]`)", {}, { a: 1, b: 2 }],
    ["lookup(`{\"a\":1}`, 'a')", {}, 1],
    ["time_add('2024-01-01T00:00:00Z', '1h')", {}, '2024-01-01T01:00:00Z'],
    ["time_diff('2024-01-01T00:00:00Z', '2024-01-01T01:30:00Z')", {}, '1h30m0s'],
    ["time_before('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')", {}, true],
    ["time_after('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')", {}, false],
    ["time_parse('2006-01-02', '2024-03-04')", {}, '2024-03-04T00:00:00Z'],
    ["time_utc('2024-01-01T02:00:00+02:00')", {}, '2024-01-01T00:00:00Z'],
    ["time_truncate('2024-01-01T10:47:00Z', '1h')", {}, '2024-01-01T10:00:00Z'],
    ["time_to_cron('2024-01-01T10:47:00Z')", {}, '47 10 1 1 1'],
    ["sha256('a')", {}, 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'],
    ['length(a[?controller] || `[]`)', { a: [{ controller: true }, {}] }, 1],
  ];
  for (const [expression, data, expected] of cases) test(`${expression} → ${JSON.stringify(expected)}`, () => { assert.deepEqual(searchExpression(expression, data), expected); });
  test('time functions use the evaluation clock', () => {
    const now = (): Date => new Date('2024-01-01T02:00:00Z');
    assert.equal(withClock(now, () => searchExpression("time_since('', '2024-01-01T00:00:00Z', '')", {})), '2h0m0s');
    assert.equal(withClock(now, () => searchExpression('time_now_utc()', {})), '2024-01-01T02:00:00Z');
  });
  test('base64_decode refuses bad input', () => { assert.throws(() => searchExpression("base64_decode('***')", {}), /not valid base64/); });
  test('Go duration formatting', () => {
    assert.equal(formatGoDuration(0), '0s');
    assert.equal(formatGoDuration(1500), '1.5s');
    assert.equal(formatGoDuration(90 * 60_000), '1h30m0s');
    assert.equal(formatGoDuration(250), '250ms');
  });
});
