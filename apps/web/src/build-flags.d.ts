/** Whether this is a test build (WEB_TEST_HOOK=1): vite.config.ts defines it, the bundler folds it away. */
declare const __CR_TEST_HOOK__: boolean;
