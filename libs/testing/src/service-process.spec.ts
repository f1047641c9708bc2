import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess } from './service-process';

describe('ServiceProcess', () => {
  it('writes its log into a directory it makes (a suite logging under its own .data/logs/<suite> on a fresh clone)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'service-process-'));
    try {
      const logFile = join(root, 'not-yet', 'there', 'device-simulator.log');
      const simulator = new ServiceProcess('device-simulator', null, {}, ['--help'], logFile);
      await simulator.start({ waitReady: false });
      expect(await simulator.waitForExit()).toBe(0);
      // The exit can come before the piped output is flushed to the file.
      for (let i = 0; i < 50 && !readFileSync(logFile, 'utf8'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(logFile, 'utf8')).toMatch(/usage|--patients/i);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
