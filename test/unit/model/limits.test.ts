/**
 * GIVEN inputs over the documented limits (size, documents, nesting, alias expansion, keys per mapping) or hostile
 * in other ways, WHEN they are parsed as users' files, rendered output or launchpad.yaml, THEN each is refused early
 * with an error naming the file, the limit and how to raise it — deep nesting as too deep, never as a stack
 * overflow — and limits can be changed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from 'js-yaml';
import { InputError } from '../../../src/errors.js';
import { DEFAULT_LIMITS, checkValueLimits, configureLimits, inputLimits, parseLimitValue, parseLimitsSetting } from '../../../src/model/limits.js';
import { parseKubeObjects } from '../../../src/model/rendered-objects.js';
import { estimateNesting } from '../../../src/model/yaml-depth.js';
import { parseYamlDocuments } from '../../../src/model/yaml-documents.js';
import { parseConfig } from '../../../src/source/config-parse.js';

const SMALL = { ...DEFAULT_LIMITS, maxFileSize: 1024, maxDocuments: 3, maxDepth: 10, maxKeys: 5, maxAliasExpansion: 50 };

function firstError(text: string, limits = SMALL): string {
  const parsed = parseYamlDocuments(text, 'in.yaml', limits);
  assert.ok(parsed.errors.length > 0, 'expected an error');
  return parsed.errors[0]?.message ?? '';
}

const bomb = (levels: number): string => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level <= levels; level++) lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
};

describe('limits on users\' YAML files', () => {
  test('GIVEN a file over maxFileSize THEN refused before parsing, naming file, size and limit', () => {
    assert.match(firstError(`a: "${'x'.repeat(2000)}"\n`), /^in\.yaml: is 2\.0 KiB, more than the limit of 1\.0 KiB \(maxFileSize\) — if this input is legitimate, raise maxFileSize under "limits:" in launchpad\.yaml or in LAUNCHPAD_LIMITS$/);
  });

  test('GIVEN more documents than maxDocuments THEN refused at the first one over, with its line', () => {
    assert.match(firstError('---\na: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n'), /^in\.yaml:7: holds more than 3 YAML documents \(maxDocuments\)/);
  });

  for (const [name, text] of [['flow', `${'['.repeat(5000)}${']'.repeat(5000)}`], ['block', `${'- '.repeat(5000)}x`], ['mapping', Array.from({ length: 400 }, (_, level) => `${'  '.repeat(level)}k:`).join('\n')]] as const) {
    test(`GIVEN ${name} nesting thousands of levels deep THEN reported as too deep, never as a stack overflow`, () => {
      const message = firstError(text, DEFAULT_LIMITS);
      assert.match(message, /nested more than 100 levels deep \(maxDepth\) — flatten the structure/);
      assert.doesNotMatch(message, /call stack|syntax/i);
    });
  }

  test('GIVEN nesting just over a lowered maxDepth THEN the error points at the line where it gets too deep', () => {
    const text = Array.from({ length: 12 }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n') + ' x\n';
    assert.match(firstError(text), /^in\.yaml:11:\d+: .*nested more than 10 levels deep/);
  });

  test('GIVEN an alias bomb THEN refused without expanding it', () => {
    assert.match(firstError(bomb(9), DEFAULT_LIMITS), /document 1 cannot be read: .*alias/i);
  });

  test('GIVEN a mapping with 100,000 keys THEN refused at that mapping (it took minutes before: the check was quadratic)', { timeout: 60_000 }, () => {
    const keys = Array.from({ length: 100_000 }, (_, index) => `  k${index}: v`).join('\n');
    assert.match(firstError(`data:\n${keys}\n`, DEFAULT_LIMITS), /^in\.yaml:2:3: document 1: mapping has 100000 keys, more than the limit of 10000 \(maxKeys\)/);
  });

  test('GIVEN a key written twice THEN a duplicate-key error at the second one', () => {
    assert.match(firstError('metadata:\n  name: a\n  labels: {}\n  name: b\n', DEFAULT_LIMITS), /^in\.yaml:4:3: YAML syntax error in document 1: Map keys must be unique; "name" is repeated/);
  });

  test('GIVEN a key that is a collection THEN no library warning is printed', () => {
    const warnings: string[] = [];
    const listener = (warning: Error): void => {
      warnings.push(warning.message);
    };
    process.on('warning', listener);
    try {
      parseYamlDocuments('? [a, b]\n: c\n', 'in.yaml');
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(warnings, []);
  });
});

describe('limits on rendered output', () => {
  test('GIVEN rendered output nested deeper than maxDepth THEN an InputError naming the source and the limit', () => {
    assert.throws(() => parseKubeObjects(`${'['.repeat(300)}${']'.repeat(300)}`, { source: 'helm template of x' }), (error: unknown) =>
      error instanceof InputError && /^helm template of x:1:\d+: nested more than 100 levels deep \(maxDepth\)/.test(error.message));
  });

  test('GIVEN rendered output whose aliases expand past the limit THEN refused, naming the document', () => {
    assert.throws(() => parseKubeObjects(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n${bomb(8)}`, { source: 'kustomize build of y' }), (error: unknown) =>
      error instanceof InputError && /document 1 YAML aliases expand it by 1234567800 values, more than the limit of 10000 \(maxAliasExpansion\)/.test(error.message));
  });

  test('GIVEN rendered output over maxFileSize THEN refused before parsing', () => {
    assert.throws(() => parseKubeObjects('a: b\n'.repeat(1000), { source: 'out', limits: SMALL }), /out: is 4\.9 KiB, more than the limit of 1\.0 KiB \(maxFileSize\)/);
  });
});

describe('checkValueLimits', () => {
  test('GIVEN a value shared by many parents (what aliases give) THEN counted per parent without expanding it', { timeout: 60_000 }, () => {
    assert.match(checkValueLimits(load(bomb(30)))?.message ?? '', /YAML aliases expand it by an astronomical number of values/);
  });

  test('GIVEN a recursive structure THEN named, not looped over', () => {
    const value: Record<string, unknown> = {};
    value.self = [value];
    assert.match(checkValueLimits(value)?.message ?? '', /refers to itself/);
  });

  test('GIVEN a deep value THEN the path to its deepest point', () => {
    let value: unknown = 'leaf';
    for (let level = 0; level < 12; level++) value = { [`k${level}`]: value };
    const path = checkValueLimits(value, SMALL)?.path ?? [];
    assert.equal(path.length, 10);
    assert.equal(path[0], 'k11');
  });

  test('GIVEN ordinary manifests THEN no violation', () => {
    assert.equal(checkValueLimits({ a: [1, 2, { b: 'c' }], d: { e: null } }), undefined);
  });
});

describe('estimateNesting', () => {
  const cases: ReadonlyArray<readonly [string, string, number]> = [
    ['block mappings', 'a:\n  b:\n    c: 1\n', 3],
    ['a block scalar is not nesting', 'script: |\n  if x:\n      y: [[[\n        z\nnext: 1\n', 1],
    ['brackets in quotes are not nesting', 'a: "[[[[{{"\nb: \'[[\'\n', 1],
    ['brackets inside a plain scalar are not nesting', 'command: echo [a] {b}\n', 1],
    ['comments are not nesting', 'a: 1 # [[[[[\n', 1],
    ['flow collections', 'a: [[1], {b: [2]}]\n', 4],
    ['compact sequences', '- - - x\n', 3],
    ['JSON', '{"a": {"b": [1, {"c": 2}]}}', 4],
  ];
  for (const [name, text, depth] of cases) {
    test(`GIVEN ${name} THEN depth ${depth}`, () => {
      assert.equal(estimateNesting(text).depth, depth);
    });
  }
});

describe('setting limits', () => {
  test('GIVEN sizes with units THEN bytes; nonsense THEN undefined', () => {
    assert.equal(parseLimitValue('32Mi'), 32 * 1024 * 1024);
    assert.equal(parseLimitValue('500k'), 500_000);
    assert.equal(parseLimitValue('200'), 200);
    for (const bad of ['0', '-5', 'huge', '1.5Mi', '']) assert.equal(parseLimitValue(bad), undefined, bad);
  });

  test('GIVEN LAUNCHPAD_LIMITS THEN it overrides launchpad.yaml, which overrides the defaults; a bad entry is named', () => {
    try {
      configureLimits({ maxDepth: 50, maxKeys: 7 }, 'maxDepth=200,maxFileSize=1Mi');
      assert.deepEqual(inputLimits(), { ...DEFAULT_LIMITS, maxDepth: 200, maxKeys: 7, maxFileSize: 1024 * 1024 });
    } finally {
      configureLimits({}, undefined);
    }
    assert.throws(() => parseLimitsSetting('maxDepth=200,depth=3', 'LAUNCHPAD_LIMITS'), /LAUNCHPAD_LIMITS: "depth=3" is not a limit setting — write name=value pairs/);
  });

  test('GIVEN limits in launchpad.yaml THEN parsed; a bad value names the field and its line', () => {
    assert.deepEqual(parseConfig('limits:\n  maxFileSize: 32Mi\n  maxDepth: 200\n', '/p/launchpad.yaml').limits, { maxFileSize: 32 * 1024 * 1024, maxDepth: 200 });
    assert.throws(() => parseConfig('limits:\n  maxDepth: lots\n', '/p/launchpad.yaml'), /^InputError: \/p\/launchpad\.yaml:2:13: limits\.maxDepth: must be a positive whole number/);
    assert.match(parseConfig('limits:\n  depth: 3\n', '/p/launchpad.yaml').warnings[0] ?? '', /2:3: limits\.depth: unknown key, ignored — known keys: maxFileSize, maxDocuments, maxDepth, maxKeys, maxAliasExpansion/);
  });

  test('GIVEN a launchpad.yaml nested thousands of levels THEN too deep, and a second parse still works (no crashed VM)', () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      assert.throws(() => parseConfig(`${'- '.repeat(5000)}x\n`, '/p/launchpad.yaml'), /nested more than 100 levels deep \(maxDepth\)/);
    }
  });
});
