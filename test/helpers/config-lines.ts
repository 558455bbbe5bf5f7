import { ConfigError, loadConfig } from '../../src/config';

/** The lines loadConfig refuses an environment with (ConfigError.lines); fails the test when it accepts it. */
export const refusedLines = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error('the configuration was accepted');
};
