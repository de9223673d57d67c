export { type AppLaunch, type AppName, appLaunch, appUrl, type StackAddresses } from './apps.ts';
export { type LaunchOptions, launchStack, type Stack } from './launch.ts';
export { httpProbe, type Readiness, type ReadinessProbe, StartError, syncProbe, waitUntilReady } from './readiness.ts';
export {
  deathReport,
  describeExit,
  log,
  type RunningService,
  type ServiceExit,
  type ServiceOutput,
  type ServiceSpec,
  startService,
} from './service.ts';
export { loadOrCreateDevKey, newSigningKey } from './signing-key.ts';
