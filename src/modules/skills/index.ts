import type { ModuleDescription } from '../../web/module.js';
export { enqueuePeopleIndexSync, personChangedJob } from './people-sync.js';
export { resolveTypedSkills, selectCuratedSkills, SKILL_KINDS, type SkillKind, type SkillRow } from './vocabulary-queries.js';

// Skills and competence (issue 15): the vocabulary, residents' competence profiles, confirmations after completed
// work, finding people and inviting them, learning from each other, and demand against supply.

export const skillsModule: ModuleDescription = {
  name: 'skills',
};
