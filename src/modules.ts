import { mailSender, mailTasks } from './platform/mail.js';
import { devAccountRoutes } from './web/dev-accounts.js';
import { devComponentRoutes } from './web/dev-components.js';
import { devMailRoutes } from './web/dev-mail.js';
import type { TaskList } from './platform/jobs.js';
import type { JobDeps, ModuleDescription } from './web/module.js';
import { RATE_LIMIT_CRONTAB, rateLimitTasks } from './web/rate-limit-store.js';
import { accessModule } from './modules/access/index.js';
import { accountsModule } from './modules/accounts/index.js';
import { adminModule } from './modules/admin/index.js';
import { applicationsModule } from './modules/applications/index.js';
import { assignmentsModule } from './modules/assignments/index.js';
import { billingModule } from './modules/billing/index.js';
import { feedbackModule } from './modules/feedback/index.js';
import { moderationModule } from './modules/moderation/index.js';
import { myDataModule } from './modules/my-data/index.js';
import { notificationsModule } from './modules/notifications/index.js';
import { organisationsModule } from './modules/organisations/index.js';
import { postingModule } from './modules/posting/index.js';
import { profilesModule } from './modules/profiles/index.js';
import { savedSearchesModule } from './modules/saved-searches/index.js';
import { searchModule } from './modules/search/index.js';
import { skillsModule } from './modules/skills/index.js';
import { statsModule } from './modules/stats/index.js';

// The one list of what the app is made of. app.ts mounts the routes and event handlers, runtime.ts gives the
// worker the tasks and cron lines, and the test app runs the same tasks: a module added here is wired
// everywhere, and one left out is wired nowhere. README ("Adding a module") shows how.
//
// Routes are mounted in this order. Paths of different modules do not overlap, so the order matters only for
// readability: search first (the busiest pages), the home page (assignments, "/") last.

/** Parts of platform/ and web/ that bring tasks or routes of their own, in the same shape as a module. */
const platformParts: ModuleDescription[] = [
  {
    name: 'mail',
    tasks: ({ db, config, log }) => mailTasks({ db, smtpUrl: config.smtpUrl, from: mailSender(config), log }),
  },
  { name: 'rate-limits', tasks: rateLimitTasks, crontab: [RATE_LIMIT_CRONTAB] },
  {
    name: 'development pages',
    // The stored mails and the demo logins' passwords: never in production.
    routes: (deps) => (deps.config.isProduction ? [] : [devMailRoutes(deps), devAccountRoutes(deps), devComponentRoutes()]),
  },
];

export const MODULES: readonly ModuleDescription[] = [
  searchModule,
  accountsModule,
  postingModule,
  organisationsModule,
  adminModule,
  myDataModule,
  profilesModule,
  skillsModule,
  feedbackModule,
  applicationsModule,
  notificationsModule,
  moderationModule,
  savedSearchesModule,
  billingModule,
  statsModule,
  assignmentsModule,
  accessModule,
  ...platformParts,
];

/** Every background task of every module, by name. Two modules naming the same task is a programming error. */
export function allTasks(deps: JobDeps): TaskList {
  const tasks: TaskList = {};
  for (const module of MODULES) {
    for (const [name, task] of Object.entries(module.tasks?.(deps) ?? {})) {
      if (name in tasks) throw new Error(`Two modules define the background task ${name}`);
      tasks[name] = task;
    }
  }
  return tasks;
}

/** The crontab lines of every module, for graphile-worker. */
export const CRONTAB = MODULES.flatMap((module) => module.crontab ?? []).join('\n');

/** Tasks to make due at once when Meilisearch answers again after an outage. */
export const TASKS_NEEDING_SEARCH = MODULES.flatMap((module) => module.searchTasks ?? []);
