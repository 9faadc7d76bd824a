/**
 * GIVEN a report, WHEN written as a pull-request comment, THEN it starts with the hidden marker, has a summary
 * table and one <details> per application, and stays under the size limit by cutting the largest diffs first.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MARKDOWN_MARKER, compareCluster, formatMarkdown } from '../../../src/preview/index.js';
import type { ClusterDiff } from '../../../src/preview/index.js';
import { configMap, rendered, report, tree } from './builders.js';

function bigCluster(): ClusterDiff {
  const data = (size: number, tag: string): Record<string, string> => Object.fromEntries(Array.from({ length: size }, (_, index) => [`key${index}`, `${tag}-${index}`]));
  const apps = (tag: string) => [
    rendered('root'),
    rendered('huge', { parent: 'root', resources: [configMap('huge', data(400, tag))] }),
    rendered('medium', { parent: 'root', resources: [configMap('medium', data(60, tag))] }),
    rendered('small', { parent: 'root', resources: [configMap('small', data(2, tag))] }),
  ];
  return compareCluster({ name: 'dev', root: 'clusters/_app-of-apps-dev.yaml', base: tree(apps('old')), head: tree(apps('new')), unaffected: new Set() });
}

describe('formatMarkdown', () => {
  const cluster = bigCluster();

  test('GIVEN no limit pressure THEN marker, table, one <details> per application, ```diff blocks', () => {
    const text = formatMarkdown(report([cluster]));
    assert.ok(text.startsWith(`${MARKDOWN_MARKER}\n`));
    assert.match(text, /\| dev \| changed \| 3 \/ 0 \/ 0 \|/);
    assert.equal(text.match(/<details>/g)?.length, 3);
    assert.equal(text.match(/```diff\n/g)?.length, 3);
    assert.ok(!text.includes('cut to'));
  });

  test('GIVEN a limit THEN the largest diff is cut first, the note names it, and the comment fits', () => {
    const full = formatMarkdown(report([cluster]));
    const limit = full.length - 1000;
    const text = formatMarkdown(report([cluster]), { maxChars: limit });
    assert.ok(text.length <= limit, `${text.length} > ${limit}`);
    assert.match(text, /> 1 diff cut to keep this comment under \d+ characters \(largest first\): <code>dev\/huge ConfigMap shop\/huge<\/code>/);
    assert.match(text, /_diff of \d+ lines cut to fit the comment size limit/);
    assert.ok(text.includes('new-59'), 'the medium diff is kept');
    assert.ok(!text.includes('new-399'), 'the huge diff is cut');
  });

  test('GIVEN a small limit THEN diffs are cut largest first until the comment fits', () => {
    const text = formatMarkdown(report([cluster]), { maxChars: 1500 });
    assert.ok(text.length <= 1500, String(text.length));
    assert.match(text, /> 2 diffs cut .*: <code>dev\/huge ConfigMap shop\/huge<\/code>, <code>dev\/medium ConfigMap shop\/medium<\/code>\./);
    assert.match(text, /\+ {2}key1: new-1/, 'the smallest diff is kept');
  });

  test('GIVEN a limit too small even for the summaries THEN the text is cut at a line with a note, still under the limit', () => {
    const text = formatMarkdown(report([cluster]), { maxChars: 900 });
    assert.ok(text.length <= 900, String(text.length));
    assert.ok(text.startsWith(MARKDOWN_MARKER));
    assert.match(text, /cut at 900 characters/);
  });

  test('GIVEN a diff holding ``` THEN the fence is longer than any backtick run in it', () => {
    const withFence = compareCluster({
      name: 'dev', root: 'r.yaml', unaffected: new Set(),
      base: tree([rendered('root', { resources: [configMap('doc', { readme: 'a\n```\nb' })] })]),
      head: tree([rendered('root', { resources: [configMap('doc', { readme: 'a\n````\nc' })] })]),
    });
    assert.match(formatMarkdown(report([withFence])), /`````diff\n/);
  });

  test('GIVEN a failed application THEN its <details> is open and shows the error escaped', () => {
    const failed = compareCluster({
      name: 'dev', root: 'r.yaml', unaffected: new Set(),
      base: tree([rendered('root')]),
      head: tree([rendered('root', { status: 'error', message: 'template <bad> | failed' })]),
    });
    const text = formatMarkdown(report([failed]));
    assert.match(text, /<details open><summary>! <b>root<\/b>/);
    assert.match(text, /\*\*head\*\*: template &lt;bad&gt; &#124; failed/);
  });
});
