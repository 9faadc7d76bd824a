import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAppProject } from '../../../src/model/app-project.js';
import { describeAs } from '../../../src/model/describe.js';
import { formatWarning } from '../../../src/model/findings.js';

const projectWith = (syncWindows: unknown): unknown => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop' }, spec: { syncWindows } });

test('GIVEN a project whose windows cannot be read WHEN validated THEN the project stays usable and each problem is a warning at its field with the fix', () => {
  const result = validateAppProject(projectWith([
    { kind: 'deny', schedule: '0 22 * * *', duration: '8h', applications: ['*'] },
    { kind: 'freeze', schedule: '0 22 * * *', duration: '8 hours', timeZone: 'Europe/Osloo', applications: ['*'] },
  ]), describeAs('project.yaml'));
  assert.equal(result.ok, true);
  assert.deepEqual(result.warnings.map(formatWarning), [
    'project.yaml: spec.syncWindows[1].kind: kind "freeze" is neither allow nor deny — set kind: allow or kind: deny',
    'project.yaml: spec.syncWindows[1].duration: cannot parse duration "8 hours" — use a Go duration such as "1h", "30m" or "1h30m"',
    'project.yaml: spec.syncWindows[1].timeZone: unknown time zone "Europe/Osloo", so the schedule is read in UTC (as Argo CD does) — use an IANA name such as "Europe/Berlin" or "America/New_York"',
  ]);
});

test('GIVEN a window field of the wrong type WHEN validated THEN the project is refused at that field, as for any project field', () => {
  const result = validateAppProject(projectWith([{ kind: 'deny', schedule: 22, duration: '1h' }]), describeAs('project.yaml'));
  assert.ok(!result.ok);
  assert.match(result.errors.map((error) => error.message).join('\n'), /spec\.syncWindows\[0\]\.schedule/);
});
