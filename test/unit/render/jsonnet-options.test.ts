/**
 * The `directory.jsonnet` block: its checks, and the ARGOCD_APP_* substitution with Go's os.Expand rules, which Argo
 * CD's Env.Envsubst applies to every extVar and tla value (expected values worked out from os.Expand's source).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandBuildEnvironment, readJsonnetOptions, readsRevision } from '../../../src/render/jsonnet-options.js';

const ENV = { ARGOCD_APP_NAME: 'web', ARGOCD_APP_REVISION: 'abc123' };

test('os.Expand: $NAME and ${NAME} expand, unknown names vanish, $$ is a dollar, bad syntax is eaten', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['$ARGOCD_APP_NAME', 'web'],
    ['${ARGOCD_APP_NAME}-x', 'web-x'],
    ['$ARGOCD_APP_NAME-x', 'web-x'],
    ['pre$ARGOCD_APP_NAMEpost', 'pre'], // the name runs on: ARGOCD_APP_NAMEpost is unknown
    ['$UNKNOWN|', '|'],
    ['costs $$5', 'costs $5'],
    ['$1 and $@', ' and '], // special one-character names, unknown here
    ['${}x', 'x'],
    ['${unclosed', 'unclosed'],
    ['a $ b', 'a $ b'],
    ['trailing $', 'trailing $'],
    ['no dollars', 'no dollars'],
    ['${ARGOCD_APP_NAME}${ARGOCD_APP_REVISION}', 'webabc123'],
  ];
  for (const [input, expected] of cases) assert.equal(expandBuildEnvironment(input, ENV), expected, input);
});

test('extVars, tlas and libs are read with their code flags; absent means none', () => {
  assert.deepEqual(readJsonnetOptions(undefined), { extVars: [], tlas: [], libs: [] });
  const options = readJsonnetOptions({ extVars: [{ name: 'a', value: '1', code: true }], tlas: [{ name: 'b', value: 'x' }], libs: ['vendor'] });
  assert.deepEqual(options.extVars.map((variable) => [variable.name, variable.value, variable.code, variable.field]), [['a', '1', true, 'directory.jsonnet.extVars[0]']]);
  assert.deepEqual(options.tlas.map((variable) => [variable.name, variable.code]), [['b', false]]);
  assert.deepEqual(options.libs, ['vendor']);
  assert.equal(readsRevision(options), false);
  assert.equal(readsRevision(readJsonnetOptions({ tlas: [{ name: 'r', value: '${ARGOCD_APP_REVISION_SHORT}' }] })), true);
});

test('malformed blocks are refused naming the field and the fix', () => {
  assert.throws(() => readJsonnetOptions({ extVars: { a: 1 } }), /spec\.source\.directory\.jsonnet\.extVars is a mapping, not a list — write extVars as a list/);
  assert.throws(() => readJsonnetOptions({ tlas: [{ value: 'x' }] }), /jsonnet\.tlas\[0\]\.name is missing or empty/);
  assert.throws(() => readJsonnetOptions({ extVars: [{ name: 'a=b', value: 'x' }] }), /extVars\[0\]\.name "a=b" cannot be passed to Jsonnet/);
  assert.throws(() => readJsonnetOptions({ extVars: [{ name: '-a', value: 'x' }] }), /extVars\[0\]\.name "-a" cannot be passed/);
  assert.throws(() => readJsonnetOptions({ extVars: [{ name: 'a', value: 'x', code: 'yes' }] }), /extVars\[0\]\.code of "a" is the string "yes", not true or false/);
  assert.throws(() => readJsonnetOptions({ libs: [''] }), /libs\[0\] is .*, not a folder path/);
});
