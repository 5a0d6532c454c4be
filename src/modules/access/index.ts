import type { ModuleDescription } from '../../web/module.js';
export {
  authorize,
  can,
  competenceVisibilitiesFor,
  loadActor,
  VISITOR,
  type Actor,
  type CompetenceVisibility,
  type MemberRole,
} from './policy.js';

/** Access has no routes or jobs: every other module asks it who may do what. */
export const accessModule: ModuleDescription = { name: 'access' };
