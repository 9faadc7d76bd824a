/** The list of commands; one line per command module. */
import type { Command } from 'commander';
import { registerAdmin } from './admin.js';
import { registerApp } from './app/index.js';
import { registerBootstrap } from './bootstrap.js';
import { registerCluster } from './cluster.js';
import { registerController } from './controller.js';
import { registerDevCluster } from './dev-cluster.js';
import { registerDiff } from './diff.js';
import { registerHealth } from './health.js';
import { registerInstall } from './install.js';
import { registerNotifications } from './notifications.js';
import { registerRelease } from './release.js';
import { registerRender } from './render.js';
import { registerPolicy } from './policy.js';
import { registerSeal } from './seal.js';
import { registerSealedSecretsController } from './sealed-secrets-controller.js';
import { registerStatus } from './status.js';
import { registerSync } from './sync.js';
import { registerTree } from './tree.js';
import { registerUp } from './up.js';
import { registerVersion } from './version.js';

export function registerCommands(program: Command): void {
  registerAdmin(program);
  registerApp(program);
  registerBootstrap(program);
  registerCluster(program);
  registerController(program);
  registerDevCluster(program);
  registerDiff(program);
  registerHealth(program);
  registerInstall(program);
  registerNotifications(program);
  registerRelease(program);
  registerRender(program);
  registerPolicy(program);
  registerSeal(program);
  registerSealedSecretsController(program);
  registerStatus(program);
  registerSync(program);
  registerTree(program);
  registerUp(program);
  registerVersion(program);
}
