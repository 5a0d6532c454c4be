import type { ModuleDescription } from '../../web/module.js';
import { profileCompetenceRoutes } from './profile-routes.js';
import { PEOPLE_CRONTAB, peopleTasks } from './people-index-sync.js';
import { peopleRoutes } from './people-routes.js';
import { personChangedJob as peopleIndexJob } from './people-sync.js';
import { vocabularyAdminRoutes } from './vocabulary-admin-routes.js';
import { confirmRoutes } from './confirm-routes.js';
import { inviteRoutes } from './invite-routes.js';
import { learningRoutes } from './learning-routes.js';
export { personPath } from './profile-service.js';
export { enqueuePeopleIndexSync, personChangedJob } from './people-sync.js';
export {
  checkPeopleIndex,
  peopleIndexDiffers,
  reindexPeople,
  syncPeopleIndex,
  type PeopleIndexCheck,
} from './people-index-sync.js';
export { resolveTypedSkills, selectCuratedSkills, SKILL_KINDS, type SkillKind, type SkillRow } from './vocabulary-queries.js';
export { demandGaps, selectDemandAndSupply, type DemandSupplyFilter, type DemandSupplyRow } from './demand-queries.js';

// Skills and competence (issue 15): the vocabulary, residents' competence profiles, confirmations after completed
// work, finding people and inviting them, learning from each other, and demand against supply.

export const skillsModule: ModuleDescription = {
  name: 'skills',
  // H1 (profile, person page, vocabulary admin); other routers join this list.
  routes: (deps) => [
    profileCompetenceRoutes(deps),
    vocabularyAdminRoutes(deps),
    peopleRoutes(deps),
    // H3 (confirmations, invitations, learning from each other).
    confirmRoutes(deps),
    inviteRoutes(deps),
    learningRoutes(deps),
  ],
  // H2 (the people index behind /kompetens): its sync job, made due at once when Meilisearch answers again.
  tasks: ({ db, search, config, log }) => peopleTasks({ db, search, indexPrefix: config.meili.indexPrefix, log }),
  crontab: [PEOPLE_CRONTAB],
  searchTasks: [peopleIndexJob.name],
};
