import type { ModuleDescription } from '../../web/module.js';
import { organisationRoutes } from './routes.js';
export {
  acceptInvite,
  changeMemberRole,
  createOrganisation,
  getMembersPage,
  getOrganisationPage,
  inviteMember,
  listMyOrganisations,
  removeMember,
  updateOrganisation,
  verifyOrganisation,
  type MyOrganisation,
  type Organisation,
} from './service.js';
export { formatOrganisationNumber, luhnCheckDigit, parseOrganisationNumber } from './organisation-number.js';
export { ORGANISATION_TYPES, type OrganisationType } from './schemas.js';
export { organisationRoutes } from './routes.js';

export const organisationsModule: ModuleDescription = {
  name: 'organisations',
  routes: (deps) => [organisationRoutes(deps)],
};
