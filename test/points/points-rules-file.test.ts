/** The operator's rules file: the shipped example states the defaults, and a bad file stops the start naming the key. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULES } from '../../src/domain/points-rules';
import { loadPointsRules } from '../../src/store/points-rules-file';

describe('<DATA_DIR>/points.yaml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'points-rules-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should read the defaults when there is no file, and the example file as the defaults', () => {
    expect(loadPointsRules(dir)).toEqual(DEFAULT_RULES);
    copyFileSync(join(__dirname, '../../data/points.example.yaml'), join(dir, 'points.yaml'));
    expect(loadPointsRules(dir)).toEqual(DEFAULT_RULES);
  });

  it('should refuse a file with an unknown key, a bad value or broken YAML, naming the file and the key', () => {
    writeFileSync(join(dir, 'points.yaml'), '签到: 2\n每月上線: 30\n');
    expect(() => loadPointsRules(dir)).toThrow(`invalid points rules ${join(dir, 'points.yaml')}: 每月上線`);
    writeFileSync(join(dir, 'points.yaml'), '缺席: -2.5\n');
    expect(() => loadPointsRules(dir)).toThrow(/points\.yaml: 缺席: /);
    writeFileSync(join(dir, 'points.yaml'), '签到: [2\n');
    expect(() => loadPointsRules(dir)).toThrow(/not valid YAML/);
  });
});
