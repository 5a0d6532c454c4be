import type { Knex } from 'knex';
import type { Actor } from '../src/modules/access/index.js';
import { activateEnterpriseAccount, runSalary } from '../src/modules/billing/index.js';
import {
  addDays,
  addMonths,
  daysBetween,
  startOfStockholmDay,
  todayInStockholm,
  type CalendarDate,
} from '../src/platform/calendar.js';
import type { DataKeys } from '../src/platform/encryption.js';
import { createLogger } from '../src/platform/logger.js';
import { multiplyByBasisPoints, ore, type Ore } from '../src/platform/money.js';
import { ocrReference } from '../src/platform/ocr.js';
import { demoPersonalNumber } from './demo-billing.js';
import { ENTERPRISE_ACCOUNTS } from './demo-content.js';
import { seedHistoryCompetence, seedHistoryConfirmations } from './demo-skills.js';
import { PILOT_MUNICIPALITIES } from './demo-logins.js';

// 18 months of history in the pilot municipalities (issue 13, item 7), so the statistics dashboard shows a real
// picture on a new database: assignments over the villages and categories with the seasons' shape (snow in
// winter, gardens and forest in summer; more in Norrtälje than in Norsjö), residents with profiles who apply
// hours to days after publishing, acceptances, completions, and paid work with its salaries.
//
// Runs inside the demo seed's transaction after the demo organisations exist (seeds/demo.ts). Deterministic: the
// same day gives the same rows (a seeded generator; every time counts from the start of today in Stockholm, so
// nothing lies in the future either). Idempotent: the history residents' mail domain marks it as loaded.
//
// Rows are inserted in batches rather than through the services, which would take a minute for this volume;
// the history is closed (applications ended, nothing open for search), so no index or notice is due for it.
// Money goes through billing's own functions where it matters: enterprise accounts are activated by
// activateEnterpriseAccount, and every salary is computed and stored by runSalary (calculateSalary with the
// rates of its payout day) on invoices whose rows follow issueInvoice's arithmetic (VAT and the operator's fee
// of the invoice date; invoice PDFs and their mails are left out: rendering hundreds takes too long).

/** The history's residents have addresses here: none of the hand-written demo people does. */
export const HISTORY_EMAIL_DOMAIN = 'historik.example.se';

const SEED = 20_261_213;
const MONTHS = 18;
const HOUR_MS = 3_600_000;
const BATCH = 250;

const ASSIGNMENTS_PER_MUNICIPALITY: Record<string, number> = { '0188': 360, '2481': 250, '2417': 170 };
const RESIDENTS_PER_MUNICIPALITY: Record<string, number> = { '0188': 80, '2481': 55, '2417': 40 };

/** Relative size of each village's share (names as in seeds/data/localities.csv); the smallest stay under 5. */
const VILLAGE_WEIGHTS: Record<string, Record<string, number>> = {
  '2481': {
    Lycksele: 10,
    Rusksele: 3,
    Björksele: 3,
    Kristineberg: 2.5,
    Hedlunda: 1.5,
    Örträsk: 1.5,
    Vindelgransele: 0.6,
    Bäverträsk: 0.25,
  },
  '2417': {
    Norsjö: 8,
    Bastuträsk: 4,
    Bjurträsk: 1.2,
    Bjursele: 1,
    Talliden: 0.8,
    Svansele: 0.6,
    Norsjövallen: 0.35,
    Kusfors: 0.25,
  },
  '0188': {
    Norrtälje: 12,
    Rimbo: 5,
    Hallstavik: 4,
    Älmsta: 3,
    Grisslehamn: 2,
    Edsbro: 2,
    Blidö: 1.5,
    Furusund: 1.5,
    Finsta: 1.2,
    Herräng: 1,
    Skebobruk: 1,
    Riala: 0.8,
    Spillersboda: 0.7,
    Bergshamra: 0.7,
    Kapellskär: 0.6,
    Gräddö: 0.6,
    Rånäs: 0.5,
    Svanberga: 0.5,
    Nysättra: 0.4,
    Arholma: 0.3,
    Sättra: 0.3,
    'Söderby-Karl': 0.3,
    Södersvik: 0.2,
  },
};

/** A month's share of posting (index 0 = January): summer peak, a December bump for markets and snow. */
const MONTH_SHAPE = [0.9, 0.85, 0.9, 0.9, 1.15, 1.35, 1.25, 1.1, 1.05, 0.95, 0.9, 1.0];
const WINTER = [1.8, 1.7, 1.2, 0.3, 0, 0, 0, 0, 0, 0.15, 1.0, 1.6];
const SUMMER = [0.05, 0.05, 0.1, 0.4, 1.3, 1.8, 1.8, 1.6, 1.1, 0.5, 0.1, 0.05];
const OUTDOOR = [0.4, 0.4, 0.4, 0.6, 1.1, 1.4, 1.3, 1.4, 1.5, 1.2, 0.6, 0.4];
const EVENTS = [0.4, 0.5, 0.6, 0.8, 1.0, 1.9, 1.4, 1.1, 0.9, 0.7, 0.9, 1.6];
const FLAT = Array<number>(12).fill(1);

interface CategorySpec {
  weight: number;
  season: readonly number[];
  /** Per municipality: the coast has less snow and more water, the inland more forest. */
  local?: Record<string, number>;
  titles: readonly string[];
  tags: readonly string[];
  workTraining: number;
  hours: readonly [number, number];
}

const CATEGORIES: Record<string, CategorySpec> = {
  snorojning: {
    weight: 2.2,
    season: WINTER,
    local: { '0188': 0.45, '2481': 1.2, '2417': 1.2 },
    titles: [
      'Snöskottning vid föreningshuset i {ort}',
      'Skotta tak i {ort}',
      'Snöröjning av infarter i {ort}',
      'Sanda gångvägar i {ort}',
    ],
    tags: ['snöröjning', 'takskottning', 'traktor', 'snöskoter'],
    workTraining: 0.05,
    hours: [2, 12],
  },
  tradgard: {
    weight: 1.6,
    season: SUMMER,
    titles: [
      'Gräsklippning i {ort}',
      'Rensa rabatter vid hembygdsgården i {ort}',
      'Beskära fruktträd i {ort}',
      'Plantera vid skolan i {ort}',
    ],
    tags: ['trädgård', 'gräsklippning', 'beskärning', 'odling'],
    workTraining: 0.2,
    hours: [3, 20],
  },
  'skog-och-mark': {
    weight: 1.5,
    season: OUTDOOR,
    local: { '0188': 0.7, '2481': 1.4, '2417': 1.3 },
    titles: [
      'Röja sly längs leden vid {ort}',
      'Vedhuggning till bystugan i {ort}',
      'Plantera gran utanför {ort}',
      'Röjning kring badplatsen i {ort}',
    ],
    tags: ['röjning', 'motorsåg', 'vedhuggning', 'skogsvård'],
    workTraining: 0.08,
    hours: [4, 30],
  },
  'bygg-och-reparation': {
    weight: 1.3,
    season: OUTDOOR.map((v) => 0.5 + v / 2),
    titles: ['Måla om staketet i {ort}', 'Laga bryggan i {ort}', 'Byta fönster på bystugan i {ort}', 'Snickra bänkar till {ort}'],
    tags: ['snickeri', 'målning', 'reparationer', 'takarbete'],
    workTraining: 0.06,
    hours: [4, 40],
  },
  stadning: {
    weight: 1.0,
    season: FLAT,
    titles: ['Städning av bygdegården i {ort}', 'Storstäd efter marknaden i {ort}', 'Fönsterputs i {ort}'],
    tags: ['städning', 'fönsterputs', 'storstädning'],
    workTraining: 0.25,
    hours: [2, 10],
  },
  evenemang: {
    weight: 0.9,
    season: EVENTS,
    titles: ['Hjälp till midsommarfirandet i {ort}', 'Servering på julmarknaden i {ort}', 'Funktionär vid loppet i {ort}'],
    tags: ['evenemang', 'servering', 'kassa', 'fotografering'],
    workTraining: 0.05,
    hours: [3, 12],
  },
  transport: {
    weight: 0.7,
    season: FLAT,
    titles: ['Skjuts till vårdcentralen från {ort}', 'Flytthjälp i {ort}', 'Hämta möbler till bygdegården i {ort}'],
    tags: ['transport', 'flytthjälp', 'B-körkort', 'släpvagn'],
    workTraining: 0.03,
    hours: [2, 8],
  },
  'omsorg-och-sallskap': {
    weight: 1.0,
    season: FLAT,
    titles: ['Sällskap för äldre i {ort}', 'Promenadvän i {ort}', 'Handla åt äldre i {ort}'],
    tags: ['äldreomsorg', 'sällskap', 'matlagning', 'högläsning'],
    workTraining: 0.35,
    hours: [4, 40],
  },
  'it-och-webb': {
    weight: 0.45,
    season: FLAT,
    titles: ['Hemsida till föreningen i {ort}', 'Datorhjälp för seniorer i {ort}', 'Bokningssystem till bygdegården i {ort}'],
    tags: ['webb', 'WordPress', 'datorhjälp', 'sociala medier'],
    workTraining: 0.02,
    hours: [4, 30],
  },
  kultur: {
    weight: 0.45,
    season: [1.3, 1.2, 1.1, 1, 0.8, 0.6, 0.6, 0.7, 1, 1.2, 1.3, 1.2],
    titles: ['Digitalisera fotoarkivet i {ort}', 'Guidning på hembygdsgården i {ort}', 'Sagostund på biblioteket i {ort}'],
    tags: ['arkiv', 'guidning', 'fotografering', 'berättande'],
    workTraining: 0.05,
    hours: [3, 24],
  },
  'vatten-och-fiske': {
    weight: 0.5,
    season: SUMMER,
    local: { '0188': 2.2, '2481': 0.5, '2417': 0.5 },
    titles: ['Tillsyn av gästhamnen i {ort}', 'Fiskevård i sjön vid {ort}', 'Lägga i bryggor i {ort}'],
    tags: ['båtvana', 'fiskevård', 'bryggor'],
    workTraining: 0.05,
    hours: [4, 40],
  },
  administration: {
    weight: 0.35,
    season: FLAT,
    titles: ['Bokföring åt föreningen i {ort}', 'Protokoll och medlemsregister i {ort}'],
    tags: ['bokföring', 'Excel', 'administration'],
    workTraining: 0.05,
    hours: [3, 20],
  },
  ovrigt: {
    weight: 0.35,
    season: FLAT,
    titles: ['Hjälp med lite av varje i {ort}', 'Värd vid öppet hus i {ort}'],
    tags: ['service', 'kundbemötande'],
    workTraining: 0.1,
    hours: [2, 10],
  },
};

const FIRST_NAMES = [
  'Anna',
  'Eva',
  'Maria',
  'Karin',
  'Sara',
  'Lena',
  'Emma',
  'Elin',
  'Hanna',
  'Ida',
  'Linnéa',
  'Frida',
  'Astrid',
  'Saga',
  'Maja',
  'Fatima',
  'Leyla',
  'Aisha',
  'Nora',
  'Johanna',
  'Lars',
  'Anders',
  'Johan',
  'Per',
  'Nils',
  'Mikael',
  'Jonas',
  'Oskar',
  'Henrik',
  'Viktor',
  'Emil',
  'Axel',
  'Gustav',
  'Hampus',
  'Ali',
  'Omar',
  'Yusuf',
  'Daniel',
  'Sven',
  'Tobias',
];
const LAST_NAMES = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Lindberg',
  'Lindström',
  'Holmberg',
  'Sandberg',
  'Öhman',
  'Norberg',
  'Backman',
  'Strömberg',
  'Lundberg',
  'Granlund',
  'Nyström',
  'Wallin',
  'Forsgren',
  'Sjölund',
  'Burman',
  'Hägglund',
  'Marklund',
  'Abdi',
  'Mohammed',
  'Haddad',
];
const BIOS = [
  'Bor i {ort} och tar gärna uppdrag i byarna runt omkring.',
  'Pensionär med gott om tid och händerna i behåll.',
  'Studerar på distans och vill tjäna lite extra på helgerna.',
  'Jobbar deltid och har dagar över till uppdrag i bygden.',
  'Ny i {ort} och vill lära känna folk genom att hjälpa till.',
];
const AVAILABILITY = ['Vardagar dagtid.', 'Kvällar och helger.', 'Mest på sommaren.', 'När som helst efter överenskommelse.'];
const MESSAGES = [
  'Hej! Jag kan ta det här och har gjort liknande förut.',
  'Jag bor nära och kan börja när ni vill.',
  'Låter som något för mig, hör gärna av er.',
  'Jag har egna verktyg och bil.',
  'Kan hjälpa till, särskilt på helgerna.',
];

/** The same figures on every run: mulberry32. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const chance = (p: number) => next() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const weighted = <T>(items: readonly T[], weightOf: (item: T) => number): T => {
    const total = items.reduce((sum, item) => sum + weightOf(item), 0);
    let r = next() * total;
    for (const item of items) {
      r -= weightOf(item);
      if (r < 0) return item;
    }
    return items[items.length - 1] as T;
  };
  /** Hours after an event: most within a day, a long tail of several days. */
  const delayHours = (meanHours: number) => Math.max(0.3, -Math.log(1 - next()) * meanHours);
  return { next, int, chance, pick, weighted, delayHours };
}

type Random = ReturnType<typeof generator>;

function slugOf(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface DemoHistorySummary {
  residents: number;
  assignments: number;
  applications: number;
  accepted: number;
  completed: number;
  enterpriseAccounts: number;
  salaries: number;
}

export interface DemoHistoryOptions {
  /** Counts back from the start of this day in Stockholm; today by default. */
  today?: CalendarDate;
  /** Without the data key there are no enterprise accounts, so no paid work in the history. */
  dataKeys?: DataKeys;
}

interface Village {
  id: number;
  name: string;
  weight: number;
}

interface Resident {
  id: number;
  name: string;
  municipalityCode: string;
  categories: Set<string>;
  hasAccount: boolean;
}

interface PlannedApplication {
  applicantId: number;
  createdAt: Date;
  status: 'submitted' | 'accepted' | 'declined' | 'withdrawn';
  decidedAt: Date | null;
}

interface PlannedAssignment {
  row: Record<string, unknown>;
  title: string;
  categorySlug: string;
  organisationId: number;
  municipalityCode: string;
  publishedAt: Date;
  startsOn: CalendarDate;
  endsOn: CalendarDate;
  completedAt: Date | null;
  compensation: { type: 'hourly' | 'fixed' | 'volunteer' | 'by_agreement'; amountSek: number | null };
  estimatedHours: number;
  applications: PlannedApplication[];
}

/** Loads the history unless it is there; undefined when it was. Needs the demo organisations (seeds/demo.ts). */
export async function seedDemoHistory(
  trx: Knex.Transaction,
  options: DemoHistoryOptions = {},
): Promise<DemoHistorySummary | undefined> {
  if (await trx('users').whereLike('email', `%@${HISTORY_EMAIL_DOMAIN}`).first('id')) return undefined;
  const today = options.today ?? todayInStockholm();
  const end = startOfStockholmDay(today);
  const start = addMonths(today, -MONTHS);
  const random = generator(SEED);

  const organisations: Array<{ id: number; municipality_code: string; admin_id: number }> = await trx('organisations as o')
    .join('organisation_members as m', function () {
      this.on('m.organisation_id', 'o.id').andOnVal('m.role', 'admin');
    })
    .whereIn('o.municipality_code', PILOT_MUNICIPALITIES)
    .whereNotNull('o.verified_at')
    .distinctOn('o.id')
    .orderBy(['o.id', 'm.user_id'])
    .select('o.id', 'o.municipality_code', 'm.user_id as admin_id');
  const categoryRows: Array<{ id: number; slug: string }> = await trx('categories').select('id', 'slug');
  const categoryId = new Map(categoryRows.map((row) => [row.slug, Number(row.id)]));
  const localityRows: Array<{ id: number; name: string; municipality_code: string }> = await trx('localities')
    .whereIn('municipality_code', PILOT_MUNICIPALITIES)
    .select('id', 'name', 'municipality_code');
  const villages = new Map<string, Village[]>(
    PILOT_MUNICIPALITIES.map((code) => [
      code,
      localityRows
        .filter((row) => row.municipality_code === code && VILLAGE_WEIGHTS[code]?.[row.name] !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
        .map((row) => ({ id: Number(row.id), name: row.name, weight: VILLAGE_WEIGHTS[code]![row.name]! })),
    ]),
  );
  for (const code of PILOT_MUNICIPALITIES) {
    if (!organisations.some((o) => o.municipality_code === code))
      throw new Error(`Demo history: no verified demo organisation in ${code} (run the demo seed first)`);
    if ((villages.get(code) ?? []).length === 0) throw new Error(`Demo history: no localities in ${code}`);
  }

  const residents = await insertResidents(trx, random, villages, categoryId, start);
  const enterpriseAccounts = options.dataKeys ? await activateAccounts(trx, random, options.dataKeys, residents, today) : 0;

  const planned = planAssignments(random, { today, start, end, organisations, villages, residents });
  await insertAssignments(trx, planned, categoryId);
  // The skills the assignments asked for, and those organisations confirmed after the work (seeds/demo-skills.ts).
  await seedHistoryConfirmations(
    trx,
    planned.map((a) => Number((a.row as { id?: number }).id)),
  );

  const billingStart = await firstBillingDay(trx);
  const salaries =
    options.dataKeys && billingStart !== undefined
      ? await billCompletedWork(trx, random, planned, residents, { today, billingStart })
      : 0;

  const applications = planned.flatMap((a) => a.applications);
  return {
    residents: residents.length,
    assignments: planned.length,
    applications: applications.length,
    accepted: applications.filter((a) => a.status === 'accepted').length,
    completed: planned.filter((a) => a.completedAt !== null).length,
    enterpriseAccounts,
    salaries,
  };
}

async function insertResidents(
  trx: Knex.Transaction,
  random: Random,
  villages: Map<string, Village[]>,
  categoryId: Map<string, number>,
  start: CalendarDate,
): Promise<Resident[]> {
  const slugs = Object.keys(CATEGORIES);
  const specs = PILOT_MUNICIPALITIES.flatMap((code) =>
    Array.from({ length: RESIDENTS_PER_MUNICIPALITY[code] ?? 0 }, () => {
      const home = random.weighted(villages.get(code)!, (v) => v.weight);
      const named = new Set([home.id]);
      for (let n = random.int(0, 2); n > 0; n -= 1) named.add(random.weighted(villages.get(code)!, (v) => v.weight).id);
      const categories = new Set<string>();
      for (let n = random.int(1, 3); n > 0; n -= 1)
        categories.add(random.weighted(slugs, (slug) => CATEGORIES[slug]!.weight * (CATEGORIES[slug]!.local?.[code] ?? 1)));
      const tags = new Set<string>();
      for (const slug of categories) for (let n = random.int(1, 2); n > 0; n -= 1) tags.add(random.pick(CATEGORIES[slug]!.tags));
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      return {
        code,
        name,
        home,
        named: [...named],
        categories,
        tags: [...tags],
        bio: random.pick(BIOS).replace('{ort}', home.name),
        availability: random.pick(AVAILABILITY),
        drivingLicence: random.chance(0.75),
        visible: random.chance(0.7),
        joined: startOfStockholmDay(addDays(start, -random.int(1, 60))),
      };
    }),
  );
  const rows: Array<{ id: number }> = [];
  for (let i = 0; i < specs.length; i += BATCH)
    rows.push(
      ...(await trx('users')
        .insert(
          specs.slice(i, i + BATCH).map((spec, j) => ({
            email: `${slugOf(spec.name).replace('-', '.')}.${i + j + 1}@${HISTORY_EMAIL_DOMAIN}`,
            name: spec.name,
            password_hash: null,
            home_municipality_code: spec.code,
            home_locality_id: spec.home.id,
            email_verified_at: spec.joined,
            created_at: spec.joined,
            updated_at: spec.joined,
          })),
        )
        .returning<Array<{ id: number }>>('id')),
    );
  const ids = rows.map((row) => Number(row.id));
  await trx('resident_profiles').insert(
    specs.map((spec, i) => ({
      user_id: ids[i],
      bio: spec.bio,
      availability: spec.availability,
      driving_licence: spec.drivingLicence,
      created_at: spec.joined,
      updated_at: spec.joined,
    })),
  );
  await trx('resident_categories').insert(
    specs.flatMap((spec, i) => [...spec.categories].map((slug) => ({ user_id: ids[i], category_id: categoryId.get(slug) }))),
  );
  await trx('resident_localities').insert(
    specs.flatMap((spec, i) => spec.named.map((localityId) => ({ user_id: ids[i], locality_id: localityId }))),
  );
  // The profile's words as skills, and who sees them (seeds/demo-skills.ts).
  await seedHistoryCompetence(
    trx,
    specs.map((spec, i) => ({ userId: ids[i]!, tags: spec.tags, visible: spec.visible })),
  );
  return specs.map((spec, i) => ({
    id: ids[i]!,
    name: spec.name,
    municipalityCode: spec.code,
    categories: spec.categories,
    hasAccount: false,
  }));
}

/** About half the residents bill through simplified enterprise, activated as a person does it. */
async function activateAccounts(
  trx: Knex.Transaction,
  random: Random,
  dataKeys: DataKeys,
  residents: Resident[],
  today: CalendarDate,
): Promise<number> {
  const taken = new Set(ENTERPRISE_ACCOUNTS.map((account) => demoPersonalNumber(account)));
  let made = 0;
  for (const resident of residents) {
    if (!random.chance(0.55)) continue;
    let personalNumber: string;
    do {
      const birthDate = `${random.int(1955, 2005)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      // 98x: Skatteverket's series for made-up numbers, as the hand-written demo accounts use.
      personalNumber = demoPersonalNumber({ birthDate, serial: `98${random.int(0, 9)}` });
    } while (taken.has(personalNumber));
    taken.add(personalNumber);
    const bank = ENTERPRISE_ACCOUNTS[made % ENTERPRISE_ACCOUNTS.length]!;
    const actor: Actor = {
      userId: resident.id,
      isAdmin: false,
      emailVerified: true,
      memberships: new Map(),
      officerOf: new Set(),
      isPayroll: false,
    };
    await activateEnterpriseAccount(
      trx,
      dataKeys,
      actor,
      {
        personalNumber,
        clearingNumber: bank.clearingNumber,
        accountNumber: bank.accountNumber,
        taxMode: 'side_income',
        terms: 'yes',
      },
      today,
    );
    resident.hasAccount = true;
    made += 1;
  }
  return made;
}

function planAssignments(
  random: Random,
  context: {
    today: CalendarDate;
    start: CalendarDate;
    end: Date;
    organisations: Array<{ id: number; municipality_code: string; admin_id: number }>;
    villages: Map<string, Village[]>;
    residents: Resident[];
  },
): PlannedAssignment[] {
  const { today, start, end } = context;
  const days = Array.from({ length: daysBetween(start, today) }, (_, i) => addDays(start, i));
  const dayWeight = (day: CalendarDate, index: number) => {
    const month = Number(day.slice(5, 7)) - 1;
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    // The service grows over the period: twice as much posted at the end as at the start.
    const growth = 0.65 + 0.7 * (index / days.length);
    return MONTH_SHAPE[month]! * growth * (weekday === 0 || weekday === 6 ? 0.35 : 1);
  };
  const dayWeights = days.map(dayWeight);
  const categorySlugs = Object.keys(CATEGORIES);
  const planned: PlannedAssignment[] = [];

  for (const code of PILOT_MUNICIPALITIES) {
    const organisations = context.organisations.filter((o) => o.municipality_code === code);
    const residents = context.residents.filter((r) => r.municipalityCode === code);
    const indexes = days.map((_, i) => i);
    for (let n = ASSIGNMENTS_PER_MUNICIPALITY[code] ?? 0; n > 0; n -= 1) {
      const day = days[random.weighted(indexes, (i) => dayWeights[i]!)]!;
      const month = Number(day.slice(5, 7)) - 1;
      const slug = random.weighted(
        categorySlugs,
        (s) => CATEGORIES[s]!.weight * CATEGORIES[s]!.season[month]! * (CATEGORIES[s]!.local?.[code] ?? 1),
      );
      const category = CATEGORIES[slug]!;
      const village = random.chance(0.04) ? undefined : random.weighted(context.villages.get(code)!, (v) => v.weight);
      const organisation = random.pick(organisations);
      const publishedAt = new Date(startOfStockholmDay(day).getTime() + random.int(7, 20) * HOUR_MS + random.int(0, 59) * 60_000);
      const applyBy = addDays(day, random.int(7, 21));
      const startsOn = addDays(applyBy, random.int(1, 7));
      const endsOn = addDays(startsOn, random.pick([0, 0, 1, 2, 5, 10, 20]));
      const compensationType = random.weighted(
        ['hourly', 'fixed', 'volunteer', 'by_agreement'] as const,
        (type) => ({ hourly: 55, fixed: 20, volunteer: 15, by_agreement: 10 })[type],
      );
      const amountSek =
        compensationType === 'hourly' ? random.int(18, 32) * 10 : compensationType === 'fixed' ? random.int(8, 60) * 100 : null;
      const peopleNeeded = random.weighted([1, 2, 3, 4], (k) => [70, 20, 7, 3][k - 1]!);
      const workTraining = random.chance(category.workTraining);
      const estimatedHours = random.int(category.hours[0], category.hours[1]);
      const title = random.pick(category.titles).replace('{ort}', village?.name ?? 'kommunen');

      const applications = planApplications(random, {
        residents,
        slug,
        publishedAt,
        applyByEnd: startOfStockholmDay(addDays(applyBy, 1)),
        end,
        smallVillage: village !== undefined && village.weight < 1,
        volunteer: compensationType === 'volunteer',
        peopleNeeded,
      });
      const accepted = applications.filter((a) => a.status === 'accepted').length;
      const ended = endsOn < addDays(today, -1);
      const closed = applyBy < today;
      let status: string;
      let completedAt: Date | null = null;
      if (accepted > 0) {
        status = ended && random.chance(0.92) ? 'completed' : 'assigned';
        if (status === 'completed') {
          completedAt = new Date(startOfStockholmDay(addDays(endsOn, random.int(0, 2))).getTime() + random.int(15, 21) * HOUR_MS);
          if (completedAt >= end) completedAt = new Date(end.getTime() - HOUR_MS);
        }
      } else if (closed) status = random.chance(0.12) ? 'cancelled' : 'expired';
      // Still before its last day: closed early, so the history holds nothing open for search.
      else status = 'closed';

      planned.push({
        row: {
          organisation_id: organisation.id,
          created_by: organisation.admin_id,
          title,
          description: `${title}. Uppdraget är en del av bygdens vardag: hör av dig om du har frågor.`,
          category_id: undefined, // set from the slug on insert
          municipality_code: code,
          locality_id: village?.id ?? null,
          compensation_type: compensationType,
          amount_sek: amountSek,
          estimated_hours: estimatedHours,
          starts_on: startsOn,
          ends_on: endsOn,
          apply_by: applyBy,
          people_needed: peopleNeeded,
          requirements: '',
          work_training: workTraining,
          supervisor_available: workTraining,
          status,
          published_at: publishedAt,
          completed_at: completedAt,
          created_at: new Date(publishedAt.getTime() - random.int(0, 48) * HOUR_MS),
          updated_at: completedAt ?? publishedAt,
        },
        title,
        categorySlug: slug,
        organisationId: organisation.id,
        municipalityCode: code,
        publishedAt,
        startsOn,
        endsOn,
        completedAt,
        compensation: { type: compensationType, amountSek },
        estimatedHours,
        applications,
      });
    }
  }
  return planned.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
}

function planApplications(
  random: Random,
  context: {
    residents: Resident[];
    slug: string;
    publishedAt: Date;
    applyByEnd: Date;
    end: Date;
    smallVillage: boolean;
    volunteer: boolean;
    peopleNeeded: number;
  },
): PlannedApplication[] {
  const { publishedAt, end } = context;
  const noneChance = 0.1 + (context.smallVillage ? 0.15 : 0) + (context.volunteer ? 0.1 : 0);
  if (random.chance(noneChance)) return [];
  const wanted = Math.min(
    context.residents.length,
    random.weighted([1, 2, 3, 4, 5, 6], (k) => [30, 28, 18, 12, 7, 5][k - 1]!),
  );
  const chosen = new Set<Resident>();
  for (let tries = 0; chosen.size < wanted && tries < 50; tries += 1)
    chosen.add(random.weighted(context.residents, (r) => (r.categories.has(context.slug) ? 6 : 1)));
  const last = Math.min(context.applyByEnd.getTime(), end.getTime());
  const applications: PlannedApplication[] = [];
  for (const resident of chosen) {
    const createdAt = new Date(publishedAt.getTime() + random.delayHours(random.chance(0.4) ? 6 : 40) * HOUR_MS);
    if (createdAt.getTime() >= last) continue;
    applications.push({ applicantId: resident.id, createdAt, status: 'submitted', decidedAt: null });
  }
  applications.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  if (applications.length === 0) return applications;

  // Most organisations pick within days of the first applications; some never do.
  if (random.chance(0.82)) {
    const places = Math.min(context.peopleNeeded, applications.length, random.chance(0.85) ? context.peopleNeeded : 1);
    const decidedAt = new Date(
      Math.max(...applications.slice(0, places).map((a) => a.createdAt.getTime())) + random.delayHours(50) * HOUR_MS,
    );
    if (decidedAt < end) {
      const acceptedIndexes = new Set<number>();
      while (acceptedIndexes.size < places) acceptedIndexes.add(random.int(0, Math.min(applications.length, places + 1) - 1));
      applications.forEach((application, i) => {
        if (acceptedIndexes.has(i)) Object.assign(application, { status: 'accepted', decidedAt });
        else if (application.createdAt < decidedAt && random.chance(0.8))
          Object.assign(application, { status: 'declined', decidedAt });
      });
    }
  }
  for (const application of applications)
    if (application.status === 'submitted' && random.chance(0.06)) application.status = 'withdrawn';
  return applications;
}

async function insertAssignments(trx: Knex.Transaction, planned: PlannedAssignment[], categoryId: Map<string, number>) {
  for (let i = 0; i < planned.length; i += BATCH) {
    const batch = planned.slice(i, i + BATCH);
    const ids = await trx('assignments')
      .insert(batch.map((a) => ({ ...a.row, category_id: categoryId.get(a.categorySlug) })))
      .returning<Array<{ id: number }>>('id');
    const applications = batch.flatMap((a, j) =>
      a.applications.map((application) => ({
        assignment_id: ids[j]!.id,
        applicant_id: application.applicantId,
        message: MESSAGES[(application.applicantId + j) % MESSAGES.length],
        status: application.status,
        decided_at: application.decidedAt,
        created_at: application.createdAt,
        updated_at: application.decidedAt ?? application.createdAt,
      })),
    );
    batch.forEach((a, j) => Object.assign(a.row, { id: Number(ids[j]!.id) }));
    if (applications.length > 0) await trx('applications').insert(applications);
  }
}

/** Billing exists from the first operator settings and the first payroll rates on; undefined before either. */
async function firstBillingDay(trx: Knex.Transaction): Promise<CalendarDate | undefined> {
  const [operator, rates] = await Promise.all([
    trx('operator_settings').min<{ min: string | null }>('valid_from as min').first(),
    trx('employer_contribution_rates').min<{ min: string | null }>('valid_from as min').first(),
  ]);
  if (!operator?.min || !rates?.min) return undefined;
  const day = (value: string | Date) => (typeof value === 'string' ? value.slice(0, 10) : todayInStockholm(value));
  const [a, b] = [day(operator.min), day(rates.min)];
  return a > b ? a : b;
}

interface Bill {
  assignment: PlannedAssignment;
  assignmentId: number;
  worker: Resident;
  applicationId: number;
  line: { kind: 'hours' | 'fixed'; quantityHundredths: number | null; unitPriceOre: number | null; amountOre: Ore };
  submittedAt: Date;
  approvedAt: Date;
  invoiceDate: CalendarDate;
  paidOn: CalendarDate;
  payoutDate: CalendarDate;
}

/**
 * Completed paid work of workers with an enterprise account, billed from the start of billing on: basis, invoice
 * and payment in one go, then runSalary for each (in payout order, so the month's and year's earlier pay count).
 * Only work whose salary was paid out before today: later work has no basis yet.
 */
async function billCompletedWork(
  trx: Knex.Transaction,
  random: Random,
  planned: PlannedAssignment[],
  residents: Resident[],
  { today, billingStart }: { today: CalendarDate; billingStart: CalendarDate },
): Promise<number> {
  const residentById = new Map(residents.map((r) => [r.id, r]));
  const candidates = planned.filter(
    (a) => a.completedAt && (a.compensation.type === 'hourly' || a.compensation.type === 'fixed') && a.startsOn >= billingStart,
  );
  const acceptedRows: Array<{ id: number; assignment_id: number; applicant_id: number }> = await trx('applications')
    .whereIn(
      'assignment_id',
      candidates.map((a) => a.row.id as number),
    )
    .where('status', 'accepted')
    .orderBy('id')
    .select('id', 'assignment_id', 'applicant_id');
  const byAssignment = new Map(candidates.map((a) => [a.row.id as number, a]));
  const bills: Bill[] = [];
  for (const row of acceptedRows) {
    const assignment = byAssignment.get(Number(row.assignment_id))!;
    const worker = residentById.get(Number(row.applicant_id));
    if (!worker?.hasAccount || !random.chance(0.85)) continue;
    const accepted = assignment.applications.filter((a) => a.status === 'accepted').length;
    const amountSek = assignment.compensation.amountSek!;
    const line: Bill['line'] =
      assignment.compensation.type === 'hourly'
        ? (() => {
            const quantityHundredths = Math.max(
              100,
              Math.round(assignment.estimatedHours * (0.7 + random.next() * 0.6) * 2) * 50,
            );
            return {
              kind: 'hours',
              quantityHundredths,
              unitPriceOre: amountSek * 100,
              amountOre: ore((quantityHundredths * amountSek * 100) / 100),
            };
          })()
        : { kind: 'fixed', quantityHundredths: null, unitPriceOre: null, amountOre: ore(Math.round(amountSek / accepted) * 100) };
    const submittedAt = new Date(assignment.completedAt!.getTime() + random.delayHours(30) * HOUR_MS);
    const approvedAt = new Date(submittedAt.getTime() + random.delayHours(40) * HOUR_MS);
    const invoiceDate = todayInStockholm(approvedAt);
    const paidOn = addDays(invoiceDate, random.int(5, 28));
    const payoutDate = addDays(paidOn, random.int(1, 3));
    if (payoutDate >= today) continue;
    bills.push({
      assignment,
      assignmentId: assignment.row.id as number,
      worker,
      applicationId: Number(row.id),
      line,
      submittedAt,
      approvedAt,
      invoiceDate,
      paidOn,
      payoutDate,
    });
  }
  if (bills.length === 0) return 0;

  const bases = await insertRowsReturningIds(
    trx,
    'billing_bases',
    bills.map((bill) => ({
      application_id: bill.applicationId,
      worker_user_id: bill.worker.id,
      organisation_id: bill.assignment.organisationId,
      assignment_id: bill.assignmentId,
      status: 'approved',
      period_start: bill.assignment.startsOn,
      period_end: bill.assignment.endsOn,
      description: bill.assignment.title,
      created_at: bill.submittedAt,
      submitted_at: bill.submittedAt,
      approved_at: bill.approvedAt,
      approved_by: bill.assignment.row.created_by,
    })),
  );
  await insertInBatches(
    trx,
    'billing_basis_lines',
    bills.map((bill, i) => ({
      basis_id: bases[i],
      position: 1,
      kind: bill.line.kind,
      description: bill.assignment.title,
      quantity_hundredths: bill.line.quantityHundredths,
      unit_price_ore: bill.line.unitPriceOre,
      amount_ore: bill.line.amountOre,
    })),
  );
  await insertInBatches(
    trx,
    'billing_basis_events',
    bills.flatMap((bill, i) => [
      { basis_id: bases[i], kind: 'submitted', actor_user_id: bill.worker.id, at: bill.submittedAt },
      { basis_id: bases[i], kind: 'approved', actor_user_id: bill.assignment.row.created_by, at: bill.approvedAt },
    ]),
  );

  // Invoices numbered in date order from the series' counter, as issueInvoice takes them.
  const order = bills.map((_, i) => i).sort((a, b) => bills[a]!.invoiceDate.localeCompare(bills[b]!.invoiceDate) || a - b);
  const sellers: Array<{
    id: number;
    valid_from: string | Date;
    fee_bp: number;
    payment_terms_days: number;
    invoice_series: string;
  }> = await trx('operator_settings')
    .orderBy('valid_from')
    .select('id', 'valid_from', 'fee_bp', 'payment_terms_days', 'invoice_series');
  const sellerOn = (date: CalendarDate) =>
    sellers
      .filter((s) => (typeof s.valid_from === 'string' ? s.valid_from.slice(0, 10) : todayInStockholm(s.valid_from)) <= date)
      .at(-1)!;
  const buyers = new Map(
    (
      await trx('organisations as o')
        .leftJoin('localities as l', 'l.id', 'o.locality_id')
        .whereIn('o.id', [...new Set(bills.map((b) => b.assignment.organisationId))])
        .select('o.id', 'o.name', 'o.address', 'o.billing_email', 'o.organisation_number', 'l.name as locality')
    ).map(
      (o: {
        id: number;
        name: string;
        address: string;
        billing_email: string;
        organisation_number: string;
        locality: string | null;
      }) => [Number(o.id), o],
    ),
  );
  const ids: Array<{ id: string }> = (
    await trx.raw(`SELECT nextval(pg_get_serial_sequence('invoices', 'id')) AS id FROM generate_series(1, ?)`, [bills.length])
  ).rows;
  const numbers = new Map<string, number>();
  const invoices: Array<Record<string, unknown>> = [];
  const invoiceIdOf = new Map<number, number>();
  for (const [k, i] of order.entries()) {
    const bill = bills[i]!;
    const seller = sellerOn(bill.invoiceDate);
    if (!numbers.has(seller.invoice_series)) {
      const counter = await trx('invoice_number_counters')
        .where('series', seller.invoice_series)
        .forUpdate()
        .first('next_number');
      numbers.set(seller.invoice_series, counter ? Number(counter.next_number) : 1);
    }
    const number = numbers.get(seller.invoice_series)!;
    numbers.set(seller.invoice_series, number + 1);
    const id = Number(ids[k]!.id);
    const buyer = buyers.get(bill.assignment.organisationId)!;
    const amountExclVat = bill.line.amountOre;
    const vat = multiplyByBasisPoints(amountExclVat, 2500);
    invoiceIdOf.set(i, id);
    invoices.push({
      id,
      kind: 'invoice',
      series: seller.invoice_series,
      number,
      basis_id: bases[i],
      operator_settings_id: seller.id,
      organisation_id: bill.assignment.organisationId,
      worker_user_id: bill.worker.id,
      buyer_name: buyer.name,
      buyer_address: buyer.address.trim() || buyer.locality || '',
      buyer_email: buyer.billing_email,
      buyer_organisation_number: buyer.organisation_number,
      invoice_date: bill.invoiceDate,
      due_date: addDays(bill.invoiceDate, seller.payment_terms_days),
      delivery_start: bill.assignment.startsOn,
      delivery_end: bill.assignment.endsOn,
      ocr: ocrReference(id, { lengthDigit: true }),
      vat_bp: 2500,
      amount_excl_vat_ore: amountExclVat,
      vat_ore: vat,
      total_ore: amountExclVat + vat,
      expenses_ore: 0,
      fee_ore: multiplyByBasisPoints(amountExclVat, seller.fee_bp),
      subject: bill.assignment.title,
      our_reference: bill.worker.name,
      status: 'paid',
      paid_at: new Date(startOfStockholmDay(bill.paidOn).getTime() + 10 * HOUR_MS),
      created_at: bill.approvedAt,
    });
  }
  await insertInBatches(trx, 'invoices', invoices);
  for (const [series, next] of numbers)
    await trx('invoice_number_counters').insert({ series, next_number: next }).onConflict('series').merge();
  await insertInBatches(
    trx,
    'invoice_lines',
    invoices.map((invoice, k) => {
      const bill = bills[order[k]!]!;
      return {
        invoice_id: invoice.id,
        position: 1,
        description: bill.assignment.title,
        quantity_hundredths: bill.line.quantityHundredths,
        unit_price_ore: bill.line.unitPriceOre,
        amount_ore: bill.line.amountOre,
      };
    }),
  );
  await insertInBatches(
    trx,
    'payments',
    invoices.map((invoice, k) => ({
      invoice_id: invoice.id,
      amount_ore: invoice.total_ore,
      paid_on: bills[order[k]!]!.paidOn,
      reference: invoice.ocr,
      source: 'manual',
      created_at: invoice.paid_at,
    })),
  );

  // The salary job's own function on each paid invoice, then paid out the same day; the notices it leaves were
  // read and mailed back then, so the mail job finds nothing to send for them now.
  const quiet = createLogger({ logLevel: 'silent' });
  const byPayout = bills.map((_, i) => i).sort((a, b) => bills[a]!.payoutDate.localeCompare(bills[b]!.payoutDate) || a - b);
  let salaries = 0;
  for (const i of byPayout) {
    const bill = bills[i]!;
    const run = await runSalary(trx, quiet, invoiceIdOf.get(i)!, bill.payoutDate);
    if (!('salaryId' in run)) continue;
    await trx('salaries').where('id', run.salaryId).update({ paid_on: bill.payoutDate });
    salaries += 1;
  }
  await trx('notifications')
    .whereIn(
      'user_id',
      residents.filter((r) => r.hasAccount).map((r) => r.id),
    )
    .whereLike('dedupe_key', 'salary_ready:%')
    .update({ read_at: trx.fn.now(), emailed_at: trx.fn.now(), email_wanted: false });
  return salaries;
}

async function insertRowsReturningIds(
  trx: Knex.Transaction,
  table: string,
  rows: Array<Record<string, unknown>>,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH)
    ids.push(
      ...(
        await trx(table)
          .insert(rows.slice(i, i + BATCH))
          .returning<Array<{ id: number }>>('id')
      ).map((row) => Number(row.id)),
    );
  return ids;
}

async function insertInBatches(trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await trx(table).insert(rows.slice(i, i + BATCH));
}
