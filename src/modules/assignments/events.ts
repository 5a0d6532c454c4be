// The assignments' in-process domain events (platform/events.ts). Declared here, in the module they are about,
// so the module that emits one and the modules that handle it need not import each other.

declare module '../../platform/events.js' {
  interface DomainEvents {
    /**
     * Assignments that just left every public place (hidden by a moderator, or their organisation suspended),
     * after the commit. Their index jobs are already enqueued; handlers may act sooner (search drops them).
     */
    'assignments.withdrawn': { ids: readonly number[] };
  }
}

export {};
