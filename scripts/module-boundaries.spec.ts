import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lint rules that encode the architecture must bite: each probe is what a careless
 * change would write, placed for a moment in the named project and linted by the real
 * eslint CLI with the project's config.
 */
const root = join(__dirname, '..');

const refused: [dir: string, code: string, expected: RegExp][] = [
  ['libs/clinical-rules/src', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n", /not allowed to import "kafkajs"/],
  ['libs/clinical-rules/src', "import { Injectable } from '@nestjs/common';\nexport const k = Injectable;\n", /not allowed to import "@nestjs\/common"/],
  ['libs/contracts/src', "import mqtt from 'mqtt';\nexport const k = mqtt;\n", /not allowed to import "mqtt"/],
  ['libs/contracts/src', "import { DataSource } from 'typeorm';\nexport const k = DataSource;\n", /not allowed to import "typeorm"/],
  ['libs/vitals/src', "import { BatchingProducer } from '@rpm/kafka';\nexport const k = BatchingProducer;\n", /can only depend on libs tagged with/],
  ['services/rules-engine/src', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n", /not allowed to import "kafkajs"/],
  ['services/rules-engine/src', "import { AppModule } from '../../care-api/src/app.module';\nexport const k = AppModule;\n", /Projects cannot be imported by a relative or absolute path/],
  ['libs/kafka/src', "import { evaluateReading } from '@rpm/clinical-rules';\nexport const k = evaluateReading;\n", /can only depend on libs tagged with/],
  // The browser UI knows the API by its contract types only.
  ['services/care-web/src', "import { signDevToken } from '@rpm/service-kit';\nexport const k = signDevToken;\n", /can only depend on libs tagged with/],
];
const restricted: [dir: string, code: string, rule: string] = [
  'services/care-api/src',
  "import { pollUntil } from '@rpm/testing';\nexport const k = pollUntil;\n",
  'no-restricted-imports',
];
const allowed: [dir: string, code: string] = [
  'services/rules-engine/src',
  "import { evaluateReading } from '@rpm/clinical-rules';\nimport { BatchingProducer } from '@rpm/kafka';\nexport const k = [evaluateReading, BatchingProducer];\n",
];

describe('module boundaries (eslint.config.mjs)', () => {
  const messages = new Map<string, string[]>();
  const restrictedMessages: string[] = [];
  const probes = [...refused.map(([dir, code]) => [dir, code] as const), [restricted[0], restricted[1]] as const, allowed].map(([dir, code], i) => ({
    file: join(root, dir, `zz-boundary-probe-${process.pid}-${i}.ts`),
    code,
  }));

  beforeAll(() => {
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
    // The boundary rule reads the Nx project graph; make sure it exists.
    execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root, env, stdio: 'ignore' });
    probes.forEach((p) => writeFileSync(p.file, p.code));
    let output: string;
    try {
      output = execFileSync(join(root, 'node_modules', '.bin', 'eslint'), ['--format', 'json', ...probes.map((p) => p.file)], { cwd: root, env, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '[]');
    } finally {
      probes.forEach((p) => rmSync(p.file, { force: true }));
    }
    for (const result of JSON.parse(output) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[]) {
      if (result.filePath === probes[refused.length]!.file) restrictedMessages.push(...result.messages.filter((m) => m.ruleId === restricted[2]).map((m) => m.message));
      messages.set(result.filePath, result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
    }
  }, 120_000);

  it.each(refused.map(([dir, code, expected], i) => [dir, code.split('\n')[0], expected, i] as const))(
    'in %s refuses %s',
    (_dir, _line, expected, i) => {
      expect((messages.get(probes[i]!.file) ?? []).join('\n')).toMatch(expected);
    },
  );

  it('keeps test helpers out of service production code', () => {
    expect(restrictedMessages.join('\n')).toMatch(/test helpers are for test\/ folders/);
  });

  it('lets a service use the domain and infrastructure libraries', () => {
    expect(messages.get(probes[probes.length - 1]!.file)).toEqual([]);
  });
});
