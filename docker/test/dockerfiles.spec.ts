import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '@rpm/testing';
import { DOCKER_DIR, envOf, instructionsOf, isPinnedImage, readDockerfile, ROOT } from './docker-files';

/** What every image must be: multi-stage, compiled, small base, not root, with a health check where there is a port. */
const services = readdirSync(join(ROOT, 'services')).filter((name) => name !== 'care-web' && existsSync(join(ROOT, 'services', name, 'src', 'main.ts')));
const images = [...services, 'migrate'];

describe('Dockerfiles', () => {
  it('exist for every service with a main.ts, and for the migrate job', () => {
    for (const name of images) expect({ name, exists: existsSync(join(DOCKER_DIR, name, 'Dockerfile')) }).toEqual({ name, exists: true });
  });

  describe.each(images)('%s', (name) => {
    const dockerfile = readDockerfile(join(DOCKER_DIR, name, 'Dockerfile'));
    const [build] = dockerfile.stages;

    it('is multi-stage from a pinned slim Node image matching package.json engines', () => {
      expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
      const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
      const [major, minor] = engines.replace('>=', '').split('.').map(Number);
      for (const stage of dockerfile.stages) {
        expect(isPinnedImage(stage.image)).toBe(true);
        const [, imageMajor, imageMinor] = /^node:(\d+)\.(\d+)-[a-z]+-slim$/.exec(stage.image) ?? [];
        expect([Number(imageMajor), Number(imageMinor) >= minor!]).toEqual([major, true]);
      }
    });

    it('compiles its entry point with docker/build/compile.sh and runs the JavaScript as a non-root user', () => {
      const compile = instructionsOf(build!, 'RUN').find((r) => r.startsWith('bash docker/build/compile.sh'));
      const entry = compile?.split(/\s+/).at(-1) ?? '';
      expect(existsSync(join(ROOT, entry))).toBe(true);
      // With the Node flags the tests and the demo run it with (ServiceProcess).
      expect(instructionsOf(dockerfile.final, 'CMD')).toEqual([JSON.stringify(['node', ...SERVICE_NODE_FLAGS, entry.replace(/\.ts$/, '.js')]).replace(/,/g, ', ')]);
      const user = instructionsOf(dockerfile.final, 'USER');
      expect(user).toHaveLength(1);
      expect(['root', '0']).not.toContain(user[0]);
      // No compiler and no TypeScript sources in the image: only the compiled output is copied.
      expect(instructionsOf(dockerfile.final, 'COPY').filter((c) => !c.startsWith('--from=')).map((c) => c.split(/\s+/)[0])).toEqual(['nx.json']);
      expect(instructionsOf(dockerfile.final, 'RUN')).toEqual([]);
    });

    it('copies only paths that exist in the repository', () => {
      for (const stage of dockerfile.stages) {
        for (const copy of instructionsOf(stage, 'COPY').filter((c) => !c.startsWith('--from='))) {
          for (const source of copy.split(/\s+/).slice(0, -1)) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
        }
      }
    });

    it('exposes its port with a /healthz health check, or says it has none', () => {
      const expose = instructionsOf(dockerfile.final, 'EXPOSE');
      const healthcheck = instructionsOf(dockerfile.final, 'HEALTHCHECK');
      if (expose.length === 0) {
        expect(healthcheck).toEqual(['NONE']);
        return;
      }
      expect(healthcheck).toHaveLength(1);
      expect(healthcheck[0]).toContain('/healthz');
      expect(healthcheck[0]).toContain(`||${expose[0]})`);
      // Loopback is unreachable from outside the container.
      expect(envOf(dockerfile.final)['HTTP_HOST']).toBe('0.0.0.0');
    });
  });

  it('keeps local state and secrets out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.rpm', '**/.env', '.data', '.git']));
  });
});
