export {
  APPROVAL_DESCRIPTION,
  demoAccounts,
  MAIL_SAFETY,
  MODELS_DIR,
  seedDemoDao,
} from './demoDao';
export type { DemoDao } from './demoDao';
