import { AppError } from '../../platform/errors.js';

// Moderation's refusals carry their own message (an i18n key under
// "moderation."), which the error page shows: "your organisation is
// suspended" must be said plainly.

/** A suspended organisation's members may not create or publish assignments (403). */
export class OrganisationSuspendedError extends AppError {
  constructor() {
    super('forbidden', 'moderation.errors.organisationSuspended');
  }
}

/** A moderation state that does not allow the action (already hidden, not suspended, …): 409. */
export const moderationConflict = (messageKey: string) => new AppError('conflict', messageKey);
