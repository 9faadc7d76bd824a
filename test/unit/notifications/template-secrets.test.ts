/**
 * GIVEN templates as Argo CD users write them WHEN compiled THEN one that reads `.secrets` (Argo CD offers the
 * notifications Secret there; Launchpad never puts a Secret in a message) is a startup error naming the template,
 * the field and the action, and templates that only look alike compile.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileNotifications } from '../../../src/notifications/compile.js';
import { parseNotificationsConfig } from '../../../src/notifications/config.js';

const WHERE = 'ConfigMap/argocd/argocd-notifications-cm';
const compileTemplate = (template: string): unknown => compileNotifications(parseNotificationsConfig({ data: { 'template.mine': template }, secret: undefined, where: WHERE }), {}, WHERE);

describe('.secrets in templates', () => {
  const refused: readonly (readonly [string, RegExp])[] = [
    ['message: "token {{.secrets.token}}"\n', /ConfigMap\/argocd\/argocd-notifications-cm template\.mine message: \{\{\.secrets\.token\}\} reads \.secrets, which Launchpad does not offer/],
    ['email:\n  subject: "{{index .secrets \\"slack-token\\"}}"\n', /template\.mine email\.subject: \{\{index \.secrets "slack-token"\}\} reads \.secrets/],
    ['message: "{{with .app}}{{$.secrets.x}}{{end}}"\n', /template\.mine message: \{\{\$\.secrets\.x\}\}/],
    ['message: "{{if .app}}{{.secrets | toJson}}{{end}}"\n', /template\.mine message: \{\{\.secrets \| toJson\}\}/],
    ['slack:\n  attachments: "{{range .app.status.resources}}{{.name}}{{else}}{{printf \\"%v\\" (.secrets)}}{{end}}"\n', /template\.mine slack\.attachments: .*\.secrets/],
  ];
  for (const [template, error] of refused) {
    test(`refused at start: ${template.trim()}`, () => {
      assert.throws(() => compileTemplate(template), error);
      assert.throws(() => compileTemplate(template), /remove it; a service reads its credentials from argocd-notifications-secret with \$key/);
    });
  }

  const allowed = [
    'message: "see the .secrets docs for {{.app.metadata.name}}"\n',
    'message: "{{.app.secrets}}"\n',
    'message: "{{with .app.spec}}{{.secrets}}{{end}}"\n',
  ];
  for (const template of allowed) {
    test(`compiles: ${template.trim()}`, () => {
      assert.doesNotThrow(() => compileTemplate(template));
    });
  }
});
