import { prettyLogs } from '../../src/logger';

describe('prettyLogs', () => {
  it('should be pretty in a terminal outside production and JSON elsewhere when auto', () => {
    expect(prettyLogs('auto', { isTTY: true })).toBe(true);
    expect(prettyLogs('auto', { isTTY: true, nodeEnv: 'production' })).toBe(false);
    expect(prettyLogs('auto', { isTTY: false })).toBe(false);
  });
  it('should follow an explicit choice', () => {
    expect(prettyLogs('pretty', { isTTY: false, nodeEnv: 'production' })).toBe(true);
    expect(prettyLogs('json', { isTTY: true })).toBe(false);
  });
});
