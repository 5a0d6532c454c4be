import type { Logger } from './logger.js';

// Domain events in the process: a module announces that something happened and the modules that care act on
// it, without the announcing module importing them (that would tie a lower module to a higher one). Each event
// is declared, by declaration merging, in the module that owns what it is about:
//
//   declare module '../../platform/events.js' {
//     interface DomainEvents { 'assignments.withdrawn': { ids: readonly number[] } }
//   }
//
// Handlers run after the change has committed and are best effort: a failing handler is logged, never thrown
// back at the request. Whatever must happen is enqueued as a job in the change's transaction instead; an event
// only makes it happen sooner or in this process.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type EventHandlers = { [Name in keyof DomainEvents]?: (payload: DomainEvents[Name]) => Promise<void> };

export interface EventBus {
  /** Runs every handler of the event (together) and resolves when all have finished or failed. */
  emit<Name extends keyof DomainEvents>(name: Name, payload: DomainEvents[Name]): Promise<void>;
}

export function createEventBus(handlerSets: readonly EventHandlers[], log: Logger): EventBus {
  return {
    async emit(name, payload) {
      const handlers = handlerSets.map((set) => set[name]).filter((handler) => handler !== undefined);
      await Promise.all(
        handlers.map(async (handler) => {
          try {
            await handler(payload);
          } catch (error) {
            log.warn({ err: error, event: name }, `A handler of ${String(name)} failed`);
          }
        }),
      );
    },
  };
}
