import { presets } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { parseYaml, withOneService } from './support/config';

describe('defaults', () => {
  it('fills every section that is left out', () => {
    const config = parseYaml(withOneService());
    expect(config).toEqual({
      file: '/srv/app/breakwater.yaml',
      services: {
        api: {
          name: 'api',
          preset: 'testing',
          options: { ...presets.testing },
          dependsOn: [],
          layer: undefined,
          description: undefined,
        },
      },
      store: { type: 'local', path: '/srv/app/breakwater.db' },
      server: {
        host: '127.0.0.1',
        port: 8080,
        updateInterval: 5_000,
        dashboard: true,
        authFailuresPerMinute: 20,
        adminActionsPerMinute: 60,
        trustedProxies: [],
        maxBodyBytes: 65_536,
        shutdownTimeout: 5_000,
        ws: {
          rateLimitPerMinute: 60,
          maxMessageBytes: 16_384,
          heartbeatInterval: 30_000,
          healthCheckInterval: 1_000,
          maxBufferedBytes: 1_048_576,
          maxConnections: 1_000,
          maxConnectionsPerToken: 20,
        },
      },
      auth: {
        algorithm: 'HS256',
        jwtSecretEnv: 'BREAKWATER_JWT_SECRET',
        issuer: undefined,
        audience: undefined,
        maxTokenLifetime: 86_400_000,
      },
      alerts: { log: true, webhooks: [], openLongerThan: 300_000 },
    });
  });

  it('treats an empty section like a missing one', () => {
    const config = parseYaml(withOneService('server:\nauth:\nalerts: {}\n'));
    expect(config.server.port).toBe(8080);
    expect(config.auth.algorithm).toBe('HS256');
    expect(config.alerts.log).toBe(true);
  });

  it('keeps the defaults of the keys a section does not set', () => {
    const config = parseYaml(
      withOneService('server:\n  port: 0\n  ws:\n    rateLimitPerMinute: 120\n'),
    );
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 0,
      updateInterval: 5_000,
      dashboard: true,
      authFailuresPerMinute: 20,
      adminActionsPerMinute: 60,
      trustedProxies: [],
      maxBodyBytes: 65_536,
      shutdownTimeout: 5_000,
      ws: {
        rateLimitPerMinute: 120,
        maxMessageBytes: 16_384,
        heartbeatInterval: 30_000,
        healthCheckInterval: 1_000,
        maxBufferedBytes: 1_048_576,
        maxConnections: 1_000,
        maxConnectionsPerToken: 20,
      },
    });
  });

  it('sends every alert event to a webhook that names none', () => {
    const config = parseYaml(
      withOneService('alerts:\n  webhooks:\n    - url: https://hooks.example.com/a\n'),
    );
    expect(config.alerts.webhooks).toEqual([
      {
        url: 'https://hooks.example.com/a',
        events: ['circuit-open', 'recovery-failed', 'recovery-exhausted', 'open-too-long'],
        headers: {},
        timeout: 5_000,
        retries: 3,
      },
    ]);
  });

  it('resolves store and public-key paths against the config file folder', () => {
    const config = parseYaml(
      withOneService(
        'store: { type: local, path: ../state/fleet.db }\nauth: { algorithm: ES256, publicKeyFile: keys/idp.pem }\n',
      ),
    );
    expect(config.store).toEqual({ type: 'local', path: '/srv/state/fleet.db' });
    expect(config.auth).toEqual({
      algorithm: 'ES256',
      publicKeyFile: '/srv/app/keys/idp.pem',
      issuer: undefined,
      audience: undefined,
      maxTokenLifetime: 86_400_000,
    });
  });

  it('gives a Redis store the breakwater: key prefix', () => {
    const config = parseYaml(
      withOneService('store: { type: redis, url: "redis://cache:6379/2" }\n'),
    );
    expect(config.store).toEqual({
      type: 'redis',
      url: 'redis://cache:6379/2',
      keyPrefix: 'breakwater:',
    });
  });

  it('keeps a memory store as it is', () => {
    expect(parseYaml(withOneService('store: { type: memory }\n')).store).toEqual({
      type: 'memory',
    });
  });

  it('returns a deeply frozen object', () => {
    const config = parseYaml(
      withOneService('alerts:\n  webhooks:\n    - url: https://hooks.example.com/a\n'),
    );
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.services.api?.options)).toBe(true);
    expect(Object.isFrozen(config.server.ws)).toBe(true);
    expect(Object.isFrozen(config.alerts.webhooks[0]?.events)).toBe(true);
  });

  it('lets a service set options without a preset, merged over nothing', () => {
    const config = parseYaml(
      'services:\n  payments:\n    failureThreshold: 4\n    slidingWindow: { type: time, size: 60000 }\n',
    );
    expect(config.services.payments).toMatchObject({
      preset: undefined,
      options: { failureThreshold: 4, slidingWindow: { type: 'time', size: 60_000 } },
    });
  });
});

describe('services without settings', () => {
  it('accepts a service named with nothing after it, on core defaults', () => {
    const config = parseYaml('services:\n  payments:\n');
    expect(config.services.payments).toMatchObject({ options: {}, dependsOn: [] });
  });
});
