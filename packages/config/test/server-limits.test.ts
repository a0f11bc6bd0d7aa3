import { describe, expect, it } from 'vitest';
import { issuesOf, parseYaml } from './support/config';

const oneService = 'services:\n  db: {}\n';

describe('the server limits against hostile clients and slow shutdowns', () => {
  it('default to 64 KB bodies, a 5 s shutdown, 1 000 connections and 20 per token', () => {
    const { server } = parseYaml(oneService);
    expect(server).toMatchObject({ maxBodyBytes: 65_536, shutdownTimeout: 5_000 });
    expect(server.ws).toMatchObject({ maxConnections: 1_000, maxConnectionsPerToken: 20 });
  });

  it('take values of their own', () => {
    const { server } = parseYaml(
      `${oneService}server:\n  maxBodyBytes: 1048576\n  shutdownTimeout: 2000\n  ws:\n    maxConnections: 50\n    maxConnectionsPerToken: 5\n`,
    );
    expect(server).toMatchObject({ maxBodyBytes: 1_048_576, shutdownTimeout: 2_000 });
    expect(server.ws).toMatchObject({ maxConnections: 50, maxConnectionsPerToken: 5 });
  });

  it('refuse values out of their range, naming it', () => {
    const issues = issuesOf(
      `${oneService}server:\n  maxBodyBytes: 100\n  shutdownTimeout: 3600000\n  ws:\n    maxConnections: 0\n    maxConnectionsPerToken: 0\n`,
    );
    expect(issues.get('server.maxBodyBytes')?.expected).toBe(
      'a size in bytes, an integer from 1024 to 16777216',
    );
    expect(issues.get('server.shutdownTimeout')?.expected).toBe(
      'a duration in milliseconds, an integer from 100 to 600000',
    );
    expect(issues.get('server.ws.maxConnections')?.expected).toBe('an integer from 1 to 1000000');
    expect(issues.get('server.ws.maxConnectionsPerToken')?.expected).toBe(
      'an integer from 1 to 100000',
    );
  });
});
