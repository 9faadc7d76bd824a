/** What a user sees when a template is wrong: one GoTemplateError naming template, line:col and construct. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileGoTemplate, GoTemplateError, SPRIG_FUNCTIONS } from '../../../src/gotemplate/index.js';

function compileError(text: string, name = 'template.app-sync-failed'): GoTemplateError {
  try {
    compileGoTemplate(text, { name, functions: SPRIG_FUNCTIONS });
  } catch (error) {
    assert.ok(error instanceof GoTemplateError, String(error));
    return error;
  }
  return assert.fail('expected a compile error');
}

function executeError(text: string, data: unknown, missingKey: 'default' | 'error' = 'default'): GoTemplateError {
  const template = compileGoTemplate(text, { name: 'ApplicationSet/argocd/guestbook', functions: SPRIG_FUNCTIONS, missingKey });
  try {
    template.execute(data);
  } catch (error) {
    assert.ok(error instanceof GoTemplateError, String(error));
    return error;
  }
  return assert.fail('expected an execution error');
}

describe('compile-time errors', () => {
  test('an unknown function names the template, line:col and the function', () => {
    const error = compileError('Hello\n  {{ .app.metadata.name | shout }}');
    assert.equal(error.message, 'template: template.app-sync-failed:2:27: function "shout" not defined');
    assert.deepEqual([error.template, error.line, error.column], ['template.app-sync-failed', 2, 27]);
  });

  test('a Sprig function Argo CD removes says why', () => {
    assert.match(compileError('{{ env "HOME" }}').message, /function "env" not defined: removed, as Argo CD removes it/);
    assert.match(compileError('{{ genCA "x" 3 }}').message, /function "genCA" not defined: not supported by Launchpad/);
  });

  test('an unclosed action points at the action that is not closed', () => {
    assert.equal(compileError('ok {{ .a }}\nbad {{ .b ').message, 'template: template.app-sync-failed:2:5: unclosed action');
  });

  test('a missing end is reported', () => {
    assert.match(compileError('{{ if .a }}x').message, /unexpected EOF/);
  });

  test('functions given in options are known to the parser; without Sprig, Sprig is unknown', () => {
    assert.equal(compileGoTemplate('{{ shout "a" }}', { functions: { shout: (s: unknown) => `${String(s)}!` } }).execute({}), 'a!');
    assert.throws(() => compileGoTemplate('{{ upper "a" }}'), /function "upper" not defined/);
  });

  test('without a name the template is called "template"', () => {
    assert.throws(() => compileGoTemplate('{{ nope }}'), /^GoTemplateError: template: template:1:4: function "nope" not defined$/m);
  });
});

describe('execution errors', () => {
  test('missingkey=error names the key path and the missing key', () => {
    const error = executeError('name: {{ .app.metadata.nme }}', { app: { metadata: { name: 'x' } } }, 'error');
    assert.equal(error.message, 'template: ApplicationSet/argocd/guestbook:1:10: executing "ApplicationSet/argocd/guestbook" at <.app.metadata.nme>: map has no entry for key "nme"');
  });

  test('a wrong argument type names the function call', () => {
    const error = executeError('{{ upper .replicas }}', { replicas: 3 });
    assert.match(error.message, /:1:4: executing "ApplicationSet\/argocd\/guestbook" at <upper>: wrong type for value; expected string; got int$/);
  });

  test('an error returned by a function is prefixed like Go', () => {
    assert.match(executeError('{{ div 1 0 }}', {}).message, /at <div>: error calling div: runtime error: integer divide by zero$/);
    assert.match(executeError('\n\n{{ fail "no cluster for this env" }}', {}).message, /:3:4: .*error calling fail: no cluster for this env$/);
  });

  test('no partial output: text before the failing action is not returned', () => {
    const template = compileGoTemplate('first line\n{{ .a.b }}', { functions: SPRIG_FUNCTIONS });
    assert.throws(() => template.execute({ a: null }), GoTemplateError);
  });

  test('a function that throws a plain Error does not crash the caller', () => {
    const template = compileGoTemplate('{{ boom }}', { functions: { boom: () => { throw new TypeError('kaput'); } } });
    assert.throws(() => template.execute({}), (error: unknown) => error instanceof GoTemplateError && /error calling boom: kaput/.test(error.message));
  });

  test('runaway template recursion is an error, not a stack overflow', () => {
    const template = compileGoTemplate('{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}');
    assert.throws(() => template.execute({}), /exceeded maximum template depth \(1000\)/);
  });
});

describe('compile once, execute many', () => {
  test('one compiled template renders different data independently', () => {
    const template = compileGoTemplate('{{ .name }}-{{ $x := .n }}{{ $x }}', { functions: SPRIG_FUNCTIONS });
    assert.equal(template.execute({ name: 'a', n: 1 }), 'a-1');
    assert.equal(template.execute({ name: 'b', n: 2 }), 'b-2');
  });

  test('the data is not modified by functions that return new lists', () => {
    const data = { list: ['b', 'a'] };
    compileGoTemplate('{{ sortAlpha .list }}{{ append .list "c" }}{{ reverse .list }}', { functions: SPRIG_FUNCTIONS }).execute(data);
    assert.deepEqual(data.list, ['b', 'a']);
  });
});
