import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, loadConfig, parseConfig } from '@breakwater/config';
import { BreakwaterError, errorCodes } from '@breakwater/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configErrorOf, rejectionOf } from './support/config';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'breakwater-config-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, text);
  return file;
}

describe('reading and parsing the file', () => {
  it('names the file, line and column of a YAML syntax error', async () => {
    const file = await fileWith(
      'broken.yaml',
      'services:\n  api:\n    dependsOn: [a, b\n  other: {}\n',
    );
    const error = await rejectionOf(loadConfig(file));
    expect(error.file).toBe(file);
    expect(error.issues[0]).toMatchObject({ path: '', line: 4, column: 3 });
    expect(error.issues[0]?.expected).toMatch(/^valid YAML \(/);
    expect(error.message).toMatch(
      new RegExp(`^Invalid configuration file ${file} \\(\\d problems?\\):\\n  line 4, column 3: `),
    );
  });

  it('reports a mapping value where YAML allows none', () => {
    const error = configErrorOf(() =>
      parseConfig('services:\n  api:\n    description: Postgres: orders\n', {
        format: 'yaml',
        file: 'a.yaml',
      }),
    );
    expect(error.issues[0]).toMatchObject({ line: 3, value: 'description: Postgres: orders' });
  });

  it('rejects a key written twice in YAML', () => {
    const error = configErrorOf(() =>
      parseConfig('services:\n  api: {}\n  api: {}\n', { format: 'yaml', file: 'a.yaml' }),
    );
    expect(error.issues[0]).toMatchObject({ line: 3, column: 3 });
    expect(error.issues[0]?.expected).toMatch(/unique/);
  });

  it('names the file, line and column of a JSON syntax error', async () => {
    const file = await fileWith(
      'broken.json',
      '{\n  "services": {\n    "api": { "preset": "testing" },\n  }\n}\n',
    );
    const error = await rejectionOf(loadConfig(file));
    expect(error.issues).toEqual([
      {
        path: '',
        value: '}',
        expected: 'valid JSON (Expected double-quoted property name)',
        line: 4,
        column: 3,
      },
    ]);
    expect(error.message).toContain(
      `${file} (1 problem):\n  line 4, column 3: got "}", expected valid JSON`,
    );
  });

  it('points a truncated JSON file at its end', () => {
    const error = configErrorOf(() =>
      parseConfig('{\n  "services": {\n', { format: 'json', file: 'a.json' }),
    );
    expect(error.issues[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('rejects a key written twice in JSON, which JSON.parse would silently accept', () => {
    const error = configErrorOf(() =>
      parseConfig('{"services": {"api": {"preset": "testing", "preset": "redis"}}}', {
        format: 'json',
        file: 'a.json',
      }),
    );
    expect(error.issues[0]).toMatchObject({ line: 1, column: 44, expected: 'each key once' });
  });

  it('validates a JSON file like a YAML one, with the line of each problem', async () => {
    const file = await fileWith(
      'bad.json',
      '{\n  "services": {\n    "api": { "preset": "testing", "resetTimeout": -1 }\n  },\n  "server": { "port": 99999 }\n}\n',
    );
    const error = await rejectionOf(loadConfig(file));
    expect(error.issues.map((i) => [i.path, i.value, i.line])).toEqual([
      ['services.api.resetTimeout', -1, 3],
      ['server.port', 99999, 5],
    ]);
  });

  it('loads a .yml file and a JSON file', async () => {
    const yml = await fileWith('fleet.yml', 'services:\n  api: { preset: aggressive }\n');
    const json = await fileWith(
      'fleet.json',
      '{ "services": { "api": { "preset": "aggressive" } } }',
    );
    expect((await loadConfig(yml)).services.api?.options.failureThreshold).toBe(3);
    expect((await loadConfig(json)).services.api?.options.failureThreshold).toBe(3);
  });

  it('rejects an empty file, or one with only comments', async () => {
    for (const [name, text] of [
      ['empty.yaml', ''],
      ['comments.yaml', '# to do\n\n'],
      ['empty.json', '  \n'],
    ] as const) {
      const error = await rejectionOf(loadConfig(await fileWith(name, text)));
      expect(error.issues).toEqual([
        {
          path: '',
          value: undefined,
          expected: 'a mapping with at least a services section (the file is empty)',
        },
      ]);
      expect(error.message).toContain('the file: got nothing, expected a mapping');
    }
  });

  it('names a missing file', async () => {
    const file = join(folder, 'nowhere.yaml');
    const error = await rejectionOf(loadConfig(file));
    expect(error.message).toBe(
      `Invalid configuration file ${file} (1 problem):\n  the file: got nothing, expected a readable file (no file exists at this path)`,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('names a folder given as the file', async () => {
    const path = join(folder, 'a-folder.yaml');
    await mkdir(path);
    const error = await rejectionOf(loadConfig(path));
    expect(error.issues[0]?.expected).toMatch(/^a readable file \(/);
  });

  it('rejects an extension it cannot read', async () => {
    const error = await rejectionOf(loadConfig(join(folder, 'fleet.toml')));
    expect(error.issues[0]).toMatchObject({
      value: '.toml',
      expected: 'a file ending in .yaml, .yml or .json',
    });
  });

  it('throws a BreakwaterError with code BW_INVALID_CONFIG_FILE', async () => {
    const error = await rejectionOf(loadConfig(join(folder, 'nowhere.yaml')));
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error).toBeInstanceOf(BreakwaterError);
    expect(error.code).toBe(errorCodes.invalidConfigFile);
    expect(error.name).toBe('ConfigFileError');
  });
});
