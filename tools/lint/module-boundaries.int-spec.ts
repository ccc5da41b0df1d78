import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Lints `source` as if it were the file at `file`, with the workspace's real ESLint config. */
function lint(file: string, source: string): { errors: string[] } {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', file, '--format', 'json'],
    { cwd: root, input: source, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return { errors: report.messages.map((m) => `${m.ruleId}: ${m.message}`) };
}

describe('module boundaries are enforced by lint', () => {
  it('refuses a service importing another service', () => {
    const { errors } = lint(
      'apps/intake/src/boundary-probe.ts',
      "import { Department } from '../../assignment/src/departments/department.entity';\nexport const x = Department;\n",
    );
    expect(errors.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('refuses a utility library depending on a higher layer', () => {
    const { errors } = lint(
      'libs/calendar/src/boundary-probe.ts',
      "import { OutboxRelay } from '@hotline/messaging';\nexport const x = OutboxRelay;\n",
    );
    expect(errors.join('\n')).toMatch(/@nx\/enforce-module-boundaries.*type:util/);
  });

  it('refuses test helpers in production code', () => {
    const { errors } = lint(
      'apps/metrics/src/boundary-probe.ts',
      "import { waitFor } from '@hotline/testing';\nexport const x = waitFor;\n",
    );
    expect(errors.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('lets a service use the shared libraries', () => {
    const { errors } = lint(
      'apps/intake/src/boundary-probe.ts',
      "import { Topics } from '@hotline/contracts';\nexport const x = Topics;\n",
    );
    expect(errors).toEqual([]);
  });
});
