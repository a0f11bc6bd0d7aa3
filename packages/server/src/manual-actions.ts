import type { Actor, Registry } from '@breakwater/core';

type ActingRegistry = Pick<Registry, 'reset' | 'forceOpen' | 'disable' | 'release'>;

/**
 * The operator actions on one circuit, by the name the HTTP routes
 * (`POST …/:name/force-open`) and the audit log use; the WebSocket stream's
 * `circuit:…` messages run the same ones.
 */
export const manualActions = {
  reset: (registry: ActingRegistry, name: string, actor: Actor) => registry.reset(name, actor),
  'force-open': (registry: ActingRegistry, name: string, actor: Actor) =>
    registry.forceOpen(name, actor),
  disable: (registry: ActingRegistry, name: string, actor: Actor) => registry.disable(name, actor),
  release: (registry: ActingRegistry, name: string, actor: Actor) => registry.release(name, actor),
} as const;

export type ManualActionName = keyof typeof manualActions;
