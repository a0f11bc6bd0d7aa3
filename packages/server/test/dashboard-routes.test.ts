import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthenticator, createHttpApi, createMonitor } from '../src/index';

const env = { BREAKWATER_JWT_SECRET: 'dashboard-test-secret-that-is-long-enough' };
const secretText = 'SECRET OUTSIDE THE DASHBOARD FOLDER';

/**
 * A built dashboard in a temporary folder, beside a file and a folder it
 * must never serve, with symbolic links inside that lead out to them.
 */
const base = mkdtempSync(join(tmpdir(), 'breakwater-dashboard-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const site = join(base, 'site');
const files: Record<string, string> = {
  'index.html':
    '<!doctype html><title>Breakwater</title><script type="module" src="./assets/index-Ab12.js"></script>',
  'assets/index-Ab12.js': 'console.log("dashboard");',
  'assets/index-Ab12.js.map': '{"version":3}',
  'assets/index-Cd34.css': 'body{margin:0}',
  'assets/logo-Ef56.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'assets/icon-Gh78.png': 'png bytes',
  'assets/font-Ij90.woff2': 'woff2 bytes',
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  '.env': secretText,
  // Files named like API routes: the API answers them.
  metrics: 'not the metrics',
  'api/health/circuit-breaker': 'not the health report',
};
for (const [name, text] of Object.entries(files)) {
  mkdirSync(join(site, name, '..'), { recursive: true });
  writeFileSync(join(site, name), text);
}
writeFileSync(join(base, 'secret.txt'), secretText);
mkdirSync(join(base, 'private'));
writeFileSync(join(base, 'private', 'secret.txt'), secretText);
symlinkSync(join(base, 'secret.txt'), join(site, 'assets', 'leak.js'));
symlinkSync(join(base, 'private'), join(site, 'assets', 'private'));
// A link that stays inside the folder is fine.
symlinkSync(join(site, 'assets', 'index-Ab12.js'), join(site, 'assets', 'alias.js'));

function api(dashboard?: string) {
  const registry = new Registry({ clock: new FakeClock(), services: { payments: {} } });
  const authenticator = createAuthenticator({ algorithm: 'HS256' }, env);
  return createHttpApi({ registry, authenticator, ...(dashboard ? { dashboard } : {}) });
}

const app = api(site);
const csp =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

describe('the dashboard routes', () => {
  it.each(['/', '/index.html'])(
    'serve index.html at %s, revalidated on every load, with the security headers',
    async (path) => {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(files['index.html']);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain(csp);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    },
  );

  it.each([
    ['index-Ab12.js', 'text/javascript; charset=utf-8'],
    ['index-Ab12.js.map', 'application/json'],
    ['index-Cd34.css', 'text/css; charset=utf-8'],
    ['logo-Ef56.svg', 'image/svg+xml; charset=utf-8'],
    ['icon-Gh78.png', 'image/png'],
    ['font-Ij90.woff2', 'font/woff2'],
  ])('serve the hashed asset %s as %s, cached for good', async (name, type) => {
    const response = await app.request(`/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(files[`assets/${name}`]);
  });

  it('serve other files of the folder, revalidated', async () => {
    const response = await app.request('/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answer HEAD with the headers of GET and no body', async () => {
    for (const path of ['/', '/assets/index-Ab12.js']) {
      const response = await app.request(path, { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(
        String(Buffer.byteLength(files[path === '/' ? 'index.html' : path.slice(1)] ?? '')),
      );
      expect(response.headers.get('content-type')).toMatch(/^text\/(html|javascript)/);
      expect(await response.text()).toBe('');
    }
  });

  it('follow a symbolic link that stays inside the folder', async () => {
    const response = await app.request('/assets/alias.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(files['assets/index-Ab12.js']);
  });

  it.each([
    '/assets/..%2F..%2Fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/..%5C..%5Csecret.txt',
    '/assets/%2E%2E/%2E%2E/secret.txt',
    '/%252e%252e%252fsecret.txt',
    `/${encodeURIComponent(join(base, 'secret.txt'))}`,
    '/assets/leak.js',
    '/assets/private/secret.txt',
    '/.env',
    '/assets/%2eenv',
    '/index.html%00.js',
    '/assets/%E0%A4%A',
  ])('never serve what lies outside the folder, a dot file or a bad name: %s', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(secretText);
  });

  it('list no folder', async () => {
    for (const path of [
      '/assets',
      '/assets/',
      '/assets/private/',
      '//',
      '/assets//index-Ab12.js',
    ]) {
      const response = await app.request(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('leave the API its routes, even where a file has the same name', async () => {
    const metrics = await app.request('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('breakwater_');
    const health = await app.request('/api/health/circuit-breaker');
    expect(await health.json()).toMatchObject({ status: 'healthy' });
    const unknown = await app.request('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('serve nothing for other methods: 405, naming GET and HEAD', async () => {
    for (const [path, method] of [
      ['/', 'POST'],
      ['/assets/index-Ab12.js', 'DELETE'],
    ] as const) {
      const response = await app.request(path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('leave a path nothing serves a 404 for every method, API paths included', async () => {
    for (const [path, method] of [
      ['/api/nothing-here', 'POST'],
      ['/api/circuit-breakers/payments/explode', 'POST'],
      ['/no-such-file.js', 'DELETE'],
      ['/assets/missing.js', 'PUT'],
    ] as const) {
      const response = await app.request(path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    const known = await app.request('/api/circuit-breakers/health', { method: 'DELETE' });
    expect(known.status).toBe(405);
    expect(known.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serve a folder reached through a symbolic link (as an installed package may be)', async () => {
    const linked = join(base, 'linked-site');
    symlinkSync(site, linked);
    const response = await api(`${linked}/`).request('/assets/index-Ab12.js');
    expect(response.status).toBe(200);
    expect((await api(linked).request('/assets/leak.js')).status).toBe(404);
  });

  it('are absent without the option: / answers 404 as before', async () => {
    const response = await api().request('/');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /' },
    });
  });
});

describe('a monitor given a dashboard folder', () => {
  it('serves it over HTTP, where a raw `..` in the request path reaches nothing outside', async () => {
    const registry = new Registry({ services: { payments: {} } });
    const monitor = createMonitor({ registry, env, dashboard: site });
    const { port } = await monitor.start({ port: 0 });
    try {
      for (const path of [
        '/../secret.txt',
        '/assets/../../secret.txt',
        '/assets/../../private/secret.txt',
      ]) {
        const { status, body } = await rawGet(port, path);
        expect(status).toBe(404);
        expect(body).not.toContain(secretText);
      }
      const index = await rawGet(port, '/');
      expect(index).toMatchObject({ status: 200, body: files['index.html'] });
    } finally {
      await monitor.stop();
      await registry.close();
    }
  });

  it.each([
    ['a folder that does not exist', join(base, 'not-built')],
    ['a folder without index.html', join(site, 'assets')],
  ])(
    'refuses %s at creation, naming it and how to build it, before anything starts',
    (_, folder) => {
      const clock = new FakeClock();
      const registry = new Registry({ clock, services: { payments: {} } });
      let error: unknown;
      try {
        createMonitor({ registry, env, dashboard: folder, history: { clock } });
      } catch (thrown) {
        error = thrown;
      }
      expect(isConfigError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'BW_INVALID_CONFIG',
        option: 'dashboard',
        value: folder,
      });
      expect((error as Error).message).toContain(folder);
      expect((error as Error).message).toContain('npm run build');
      // No history sampling was started for a monitor that does not exist.
      expect(clock.pendingTimers).toBe(0);
      expect(() => api(folder)).toThrow(/npm run build/);
    },
  );
});

/** GET `path` exactly as written (Node's client sends it unnormalized). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
