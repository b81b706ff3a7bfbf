export {
  approvalDescription,
  demoAccounts,
  GUARDIAN_TERM,
  MAIL_GUARD,
  MAIL_SAFETY,
  MAIL_SAFETY_RULES,
  MODELS_DIR,
  seedDemoDao,
} from './demoDao';
export type { DemoDao } from './demoDao';
export { readConfig } from './config';
export type { StackConfig } from './config';
export { prepareBuilds } from './prepareBuilds';
export { demoDeployConfig, demoEvidenceGame, startStack } from './start';
export type { RunningStack } from './start';
