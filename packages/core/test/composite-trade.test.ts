// Seed 001 (Rust trading API), "Composite Operations":
// execute_trade_with_circuit_breakers checks the user's balance (database
// breaker), retrieves market data (redis breaker), fetches external prices if
// needed (external-api breaker) and executes the on-chain transaction
// (solana-rpc breaker). Each breaker uses the seed's configuration for its
// service (the built-in presets).
import {
  CircuitBreaker,
  CircuitOpenError,
  fallback,
  isCircuitOpenError,
  presets,
  wrap,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { outcome } from './support/calls';

interface TradeRequest {
  readonly user: string;
  readonly market: string;
  readonly amount: number;
}

interface TradeReceipt {
  readonly signature: string;
  readonly price: number;
  readonly priceSource: 'cache' | 'external-api';
}

/** The four dependencies, as fakes whose health the tests switch. */
class FakeServices {
  balance = 1_000;
  cachedPrice: number | undefined = 101.5;
  redisDown = false;
  externalApiDown = false;
  solanaDown = false;
  readonly calls = { database: 0, redis: 0, externalApi: 0, solana: 0 };

  async fetchBalance(_user: string): Promise<number> {
    this.calls.database++;
    return this.balance;
  }

  async readMarketData(_market: string): Promise<number | undefined> {
    this.calls.redis++;
    if (this.redisDown) throw new Error('redis: connection refused');
    return this.cachedPrice;
  }

  async fetchExternalPrice(_market: string): Promise<number> {
    this.calls.externalApi++;
    if (this.externalApiDown) throw new Error('external api: 502 Bad Gateway');
    return 102;
  }

  async submitTransaction(request: TradeRequest, price: number): Promise<string> {
    this.calls.solana++;
    if (this.solanaDown) throw new Error('solana rpc: blockhash not found');
    return `sig-${request.user}-${request.amount * price}`;
  }
}

function tradingSystem() {
  const clock = new FakeClock();
  const services = new FakeServices();
  const breakers = {
    database: new CircuitBreaker('database', { ...presets.database, clock }),
    redis: new CircuitBreaker('redis', { ...presets.redis, clock }),
    externalApi: new CircuitBreaker('external-api', { ...presets['external-api'], clock }),
    solana: new CircuitBreaker('solana-rpc', { ...presets['solana-rpc'], clock }),
  };
  // The cache is an optimisation: a redis outage (or its open circuit) reads as a miss.
  const marketCache = wrap(
    fallback(() => undefined),
    breakers.redis,
  );

  /** execute_trade_with_circuit_breakers: each step behind its own breaker, in the seed's order. */
  async function executeTrade(request: TradeRequest): Promise<TradeReceipt> {
    const balance = await breakers.database.execute(() => services.fetchBalance(request.user));
    if (balance < request.amount) throw new Error('insufficient balance');
    const cached = await marketCache.execute(() => services.readMarketData(request.market));
    const price =
      cached ??
      (await breakers.externalApi.execute(() => services.fetchExternalPrice(request.market)));
    const signature = await breakers.solana.execute(() =>
      services.submitTransaction(request, price),
    );
    return { signature, price, priceSource: cached === undefined ? 'external-api' : 'cache' };
  }

  const failures = () =>
    Object.fromEntries(
      Object.values(breakers).map((breaker) => [breaker.name, breaker.status().totalFailures]),
    );
  return { clock, services, breakers, executeTrade, failures };
}

const trade: TradeRequest = { user: 'alice', market: 'SOL/USDC', amount: 2 };

describe('seed 001: a trade through four breakers', () => {
  it('passes a healthy trade through all four services', async () => {
    const { services, breakers, executeTrade } = tradingSystem();
    services.cachedPrice = undefined;
    const receipt = await executeTrade(trade);
    expect(receipt).toEqual({
      signature: 'sig-alice-204',
      price: 102,
      priceSource: 'external-api',
    });
    expect(services.calls).toEqual({ database: 1, redis: 1, externalApi: 1, solana: 1 });
    for (const breaker of Object.values(breakers)) {
      expect(breaker.status()).toMatchObject({ state: 'closed', totalSuccesses: 1 });
    }
  });

  it('uses the cached market data and skips the external API on a cache hit', async () => {
    const { services, executeTrade } = tradingSystem();
    const receipt = await executeTrade(trade);
    expect(receipt).toMatchObject({ price: 101.5, priceSource: 'cache' });
    expect(services.calls.externalApi).toBe(0);
  });

  it('falls back to the external API on a redis cache miss', async () => {
    const { services, breakers, executeTrade } = tradingSystem();
    services.cachedPrice = undefined;
    const receipt = await executeTrade(trade);
    expect(receipt).toMatchObject({ price: 102, priceSource: 'external-api' });
    expect(services.calls).toMatchObject({ redis: 1, externalApi: 1, solana: 1 });
    expect(breakers.redis.status().totalFailures).toBe(0);
  });

  it('treats a redis outage as a cache miss, counting the failure on redis only', async () => {
    const { services, executeTrade, failures } = tradingSystem();
    services.redisDown = true;
    const receipt = await executeTrade(trade);
    expect(receipt.priceSource).toBe('external-api');
    expect(failures()).toEqual({ database: 0, redis: 1, 'external-api': 0, 'solana-rpc': 0 });
  });

  it('fails fast with a CircuitOpenError naming external-api once it is open, never reaching solana', async () => {
    const { services, breakers, executeTrade } = tradingSystem();
    services.cachedPrice = undefined;
    services.externalApiDown = true;
    const threshold = breakers.externalApi.options.failureThreshold;
    for (let index = 0; index < threshold; index++) {
      expect(((await outcome(executeTrade(trade))) as Error).message).toMatch(/external api/);
    }
    expect(breakers.externalApi.state).toBe('open');
    const externalCalls = services.calls.externalApi;

    const error = await outcome(executeTrade(trade));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(isCircuitOpenError(error) && error.breaker).toBe('external-api');
    expect(services.calls.externalApi).toBe(externalCalls);
    expect(services.calls.solana).toBe(0);
    expect(breakers.solana.status().totalAttempts).toBe(0);
    expect([breakers.database.state, breakers.redis.state]).toEqual(['closed', 'closed']);
  });

  it('counts a solana failure on the solana-rpc breaker only', async () => {
    const { services, executeTrade, failures } = tradingSystem();
    services.cachedPrice = undefined;
    services.solanaDown = true;
    const error = await outcome(executeTrade(trade));
    expect((error as Error).message).toMatch(/solana rpc/);
    expect(failures()).toEqual({ database: 0, redis: 0, 'external-api': 0, 'solana-rpc': 1 });
  });

  it("recovers once solana's reset timeout has elapsed", async () => {
    const { clock, services, breakers, executeTrade } = tradingSystem();
    const { failureThreshold, resetTimeout, successThreshold } = breakers.solana.options;
    services.solanaDown = true;
    for (let index = 0; index < failureThreshold; index++) await outcome(executeTrade(trade));
    expect(breakers.solana.state).toBe('open');

    services.solanaDown = false;
    const rejected = await outcome(executeTrade(trade));
    expect(isCircuitOpenError(rejected) && rejected.breaker).toBe('solana-rpc');

    clock.advance(resetTimeout - 1);
    expect(isCircuitOpenError(await outcome(executeTrade(trade)))).toBe(true);
    clock.advance(1);
    for (let index = 0; index < successThreshold; index++) {
      expect(await executeTrade(trade)).toMatchObject({ signature: 'sig-alice-203' });
    }
    expect(breakers.solana.state).toBe('closed');
    expect(services.calls.solana).toBe(failureThreshold + successThreshold);
  });
});
