import type { BreakerRecord } from '../breaker/breaker-record';
import type { CircuitBreaker } from '../breaker/circuit-breaker';
import { ConfigError } from '../errors/config-error';
import { UnknownServiceError } from '../errors/unknown-service-error';
import { DependencyGraph } from './dependency-graph';
import { checkPersistableOptions, type PersistableOptions } from './persistable-options';
import { type ResolvedService, resolveService, type ServicesConfig } from './service-config';

/**
 * A registry's names: the configured services and their dependency graph,
 * the breakers by name (configured services first), each service's
 * configuration override, and records that arrived before their breaker.
 */
export class BreakerMap {
  readonly #services = new Map<string, ResolvedService>();
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #overrides = new Map<string, PersistableOptions>();
  /** Records loaded for breakers not created yet (taken up on first `breaker(name)`). */
  readonly #pending = new Map<string, BreakerRecord>();
  #graph: DependencyGraph;

  constructor(services: ServicesConfig) {
    if (typeof services !== 'object' || services === null)
      throw new ConfigError('services', services, 'an object of services by name');
    for (const [name, config] of Object.entries(services))
      this.#services.set(name, resolveService(name, config));
    this.#graph = buildGraph(this.#services);
  }

  get graph(): DependencyGraph {
    return this.#graph;
  }

  /** Names of the configured services, in configuration order. */
  serviceNames(): IterableIterator<string> {
    return this.#services.keys();
  }

  service(name: string): ResolvedService | undefined {
    return this.#services.get(name);
  }

  get(name: string): CircuitBreaker | undefined {
    return this.#breakers.get(name);
  }

  /** The breaker of `name`; an `UnknownServiceError` when there is none. */
  require(name: string): CircuitBreaker {
    const breaker = this.#breakers.get(name);
    if (breaker === undefined) throw new UnknownServiceError(name);
    return breaker;
  }

  names(): string[] {
    return [...this.#breakers.keys()];
  }

  breakers(): IterableIterator<CircuitBreaker> {
    return this.#breakers.values();
  }

  /** Every breaker's state, by name. */
  states(): Record<string, string> {
    return Object.fromEntries([...this.#breakers].map(([name, breaker]) => [name, breaker.state]));
  }

  add(breaker: CircuitBreaker): void {
    this.#breakers.set(breaker.name, breaker);
  }

  /**
   * Removes a breaker that no configured service depends on, with its
   * service and its override; returns the removed breaker, undefined when
   * there is none.
   */
  remove(name: string): CircuitBreaker | undefined {
    const breaker = this.#breakers.get(name);
    if (breaker === undefined) return undefined;
    const dependents = this.#graph.dependentsOf(name);
    if (dependents.length > 0) {
      throw new ConfigError(
        'name',
        name,
        `a service nothing depends on (${dependents.join(', ')} depend on it)`,
      );
    }
    this.#breakers.delete(name);
    this.#overrides.delete(name);
    if (this.#services.delete(name)) this.#graph = buildGraph(this.#services);
    return breaker;
  }

  override(name: string): PersistableOptions | undefined {
    return this.#overrides.get(name);
  }

  /** Keeps `options` as the override of `name` (null forgets it); its breaker is left as it is. */
  keepOverride(name: string, options: PersistableOptions | null): void {
    if (options === null) this.#overrides.delete(name);
    else this.#overrides.set(name, options);
  }

  /**
   * Reconfigures the breaker of `name` with `options` and keeps them as its
   * override. Options it refuses throw a `ConfigError` and are not kept (a
   * breaker created later would be built from them).
   */
  applyOverride(name: string, options: PersistableOptions | null): void {
    const checked = options === null ? null : checkPersistableOptions(options);
    if (checked !== null) this.#breakers.get(name)?.reconfigure(checked);
    this.keepOverride(name, checked);
  }

  /** Hands `record` to its breaker through `take`, or keeps it until that breaker is created. */
  deliver(record: BreakerRecord, take: (breaker: CircuitBreaker) => void): void {
    const breaker = this.#breakers.get(record.name);
    if (breaker === undefined) this.#pending.set(record.name, record);
    else take(breaker);
  }

  /** The record kept for `name` by {@link deliver}, handed out once. */
  takePending(name: string): BreakerRecord | undefined {
    const record = this.#pending.get(name);
    this.#pending.delete(name);
    return record;
  }
}

function buildGraph(services: ReadonlyMap<string, ResolvedService>): DependencyGraph {
  return new DependencyGraph(
    new Map([...services].map(([name, service]) => [name, service.dependsOn])),
  );
}
