// Demo content for a fresh database: organisations, people and assignments in
// the three pilot municipalities (Lycksele 2481, Norsjö 2417, Norrtälje 0188).
// Everything is fictional; e-mail addresses use example.se only. Dates are
// relative to "today" (see seeds/demo.ts) so the demo never looks stale.
// Locality references are slugs from seeds/data/localities.csv.

export type OrganisationType = 'forening' | 'kommun' | 'socialt_foretag' | 'foretag';
/** Months are listed in seeds/demo.ts; 'snow-free' is June–October (Norrland), 'growing-season' May–September. */
export type Season = 'winter' | 'spring' | 'summer' | 'autumn' | 'snow-free' | 'growing-season';

export interface DemoPerson {
  name: string;
  email: string;
  homeLocality: string;
}

export interface DemoOrganisation {
  key: string;
  name: string;
  type: OrganisationType;
  /** The first nine digits; seeds/demo.ts appends the Luhn check digit. */
  organisationNumberBase: string;
  municipalityCode: string;
  locality: string;
  description: string;
  address: string;
  billingEmail: string;
  website: string | null;
  /** Unverified organisations only get drafts: their published work would need review. */
  verified: boolean;
  /** The first member becomes admin. */
  members: DemoPerson[];
}

export interface DemoResident extends DemoPerson {
  bio: string;
  availability: string;
  drivingLicence: boolean;
  categories: string[];
  localities: string[];
  competence: DemoCompetence;
}

export type DemoLevel = 'beginner' | 'experienced' | 'can_teach';

/**
 * The resident's competence profile (issue 15), as they would type it on /konto/kompetens: words are matched to the
 * vocabulary (seeds/skills.ts) on their folded key, and a word that matches nothing becomes a free tag.
 */
export interface DemoCompetence {
  visibility: 'hidden' | 'organisations' | 'public';
  skills: Array<[word: string, level: DemoLevel]>;
  /** Days from today to the expiry; negative: expired. */
  certificates?: Array<[word: string, expiresInDays: number | null]>;
  languages?: Array<[word: string, level: DemoLevel]>;
  wishes?: string[];
  offers?: Array<{ title: string; description: string; priceSek?: number; volunteer?: boolean }>;
  /** Takes part in learn-from-each-other matches (opt-in). */
  learningMatches?: boolean;
}

export type DemoCompensation =
  { type: 'hourly'; amountSek: number } | { type: 'fixed'; amountSek: number } | { type: 'volunteer' } | { type: 'by_agreement' };

export interface DemoAssignment {
  org: string;
  title: string;
  description: string;
  category: string;
  locality: string;
  /** An exact point when the work is not in the village itself. */
  point?: { lat: number; lng: number };
  compensation: DemoCompensation;
  estimatedHours?: number;
  peopleNeeded?: number;
  requirements?: string;
  workTraining?: boolean;
  supervisorAvailable?: boolean;
  draft?: boolean;
  /** Published this many days ago (1–30). */
  publishedDaysAgo: number;
  /** Last day to apply, days from today (3–40). */
  applyInDays: number;
  /** Work starts this many days after the last day to apply (moved into the season, if any). */
  startAfterApply?: number;
  /** Seasonal work starts in its season: the next one if today is outside it. */
  season?: Season;
  /** A fixed day instead of a season: the next one on or after the earliest start. */
  onDate?: 'midsummer-eve' | { month: number; day: number };
  /** Days from start to end (0 = a one-day job). Omitted for open-ended work. */
  durationDays?: number;
}

export const ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'rusksele',
    name: 'Rusksele byaförening',
    type: 'forening',
    organisationNumberBase: '802451376',
    municipalityCode: '2481',
    locality: 'rusksele-lycksele',
    description:
      'Byaföreningen i Rusksele vid Vindelälven driver bygdegården, skoterlederna och sommarens midsommarfirande. Vi är ett sextiotal medlemmar och anlitar gärna folk från bygden för det vi inte hinner själva.',
    address: 'Bygdegården, Rusksele 112, 921 95 Lycksele',
    billingEmail: 'kassor@rusksele-byaforening.example.se',
    website: null,
    verified: true,
    members: [
      { name: 'Kerstin Lundmark', email: 'kerstin.lundmark@example.se', homeLocality: 'rusksele-lycksele' },
      { name: 'Per-Olof Sjöström', email: 'per-olof.sjostrom@example.se', homeLocality: 'rusksele-lycksele' },
    ],
  },
  {
    key: 'bjorksele',
    name: 'Björksele bygdegårdsförening',
    type: 'forening',
    organisationNumberBase: '802433918',
    municipalityCode: '2481',
    locality: 'bjorksele-lycksele',
    description:
      'Föreningen äger och sköter bygdegården i Björksele, där vi ordnar höstmarknad, filmkvällar och byastämmor. Huset från 1952 behöver ständig omsorg och vi tar hjälp av både ideella och betalda krafter.',
    address: 'Björksele 40, 921 92 Lycksele',
    billingEmail: 'bjorksele.bygdegard@example.se',
    website: null,
    verified: true,
    members: [{ name: 'Ingrid Forsberg', email: 'ingrid.forsberg@example.se', homeLocality: 'bjorksele-lycksele' }],
  },
  {
    key: 'bastutrask',
    name: 'Bastuträsk bygdegårdsförening',
    type: 'forening',
    organisationNumberBase: '802418273',
    municipalityCode: '2417',
    locality: 'bastutrask-norsjo',
    description:
      'Bygdegården i Bastuträsk är stationssamhällets samlingspunkt med julmarknad, loppis och uthyrning till fester. Föreningen sköter också fotbollsplanen och elljusspåret tillsammans med byns idrottsklubb.',
    address: 'Stationsvägen 14, 935 91 Bastuträsk',
    billingEmail: 'ekonomi.bastutrask@example.se',
    website: 'https://bastutrask-bygdegard.example.se',
    verified: true,
    members: [
      { name: 'Göran Nordlund', email: 'goran.nordlund@example.se', homeLocality: 'bastutrask-norsjo' },
      { name: 'Maja Öberg', email: 'maja.oberg@example.se', homeLocality: 'bastutrask-norsjo' },
    ],
  },
  {
    key: 'bjurtrask',
    name: 'Bjurträsk byaförening',
    type: 'forening',
    organisationNumberBase: '802507461',
    municipalityCode: '2417',
    locality: 'bjurtrask-norsjo',
    description:
      'Nystartad byaförening i Bjurträsk som vill få liv i byn igen: fiskevård i sjön, en gemensam hemsida och träffar i gamla skolan.',
    address: 'Bjurträsk 21, 935 92 Norsjö',
    billingEmail: 'bjurtrask.byaforening@example.se',
    website: null,
    verified: false,
    members: [{ name: 'Lennart Granström', email: 'lennart.granstrom@example.se', homeLocality: 'bjurtrask-norsjo' }],
  },
  {
    key: 'almsta',
    name: 'Älmsta-Väddö IF',
    type: 'forening',
    organisationNumberBase: '817600452',
    municipalityCode: '0188',
    locality: 'almsta-norrtalje',
    description:
      'Idrottsföreningen på Väddö med fotboll för alla åldrar, skidspår på vintern och isbana när kylan tillåter. Vi har ett tjugotal lag och en klubbstuga vid idrottsplatsen i Älmsta.',
    address: 'Idrottsvägen 3, 760 40 Väddö',
    billingEmail: 'kansli@almsta-vaddo-if.example.se',
    website: 'https://almsta-vaddo-if.example.se',
    verified: true,
    members: [
      { name: 'Johan Eriksson', email: 'johan.eriksson@example.se', homeLocality: 'almsta-norrtalje' },
      { name: 'Sara Wikström', email: 'sara.wikstrom@example.se', homeLocality: 'grisslehamn-norrtalje' },
    ],
  },
  {
    key: 'edsbro',
    name: 'Edsbro hembygdsförening',
    type: 'forening',
    organisationNumberBase: '817601831',
    municipalityCode: '0188',
    locality: 'edsbro-norrtalje',
    description:
      'Hembygdsföreningen vårdar bruksminnena i Edsbro, driver bygdegården och ordnar höstmarknad och hembygdsdag. Vi har ett stort arkiv av protokoll och fotografier som vi vill göra tillgängligt.',
    address: 'Bruksvägen 9, 760 31 Edsbro',
    billingEmail: 'edsbro.hembygd@example.se',
    website: null,
    verified: true,
    members: [{ name: 'Birgitta Jansson', email: 'birgitta.jansson@example.se', homeLocality: 'edsbro-norrtalje' }],
  },
  {
    key: 'lycksele',
    name: 'Lycksele kommun',
    type: 'kommun',
    organisationNumberBase: '212000924',
    municipalityCode: '2481',
    locality: 'lycksele-lycksele',
    description:
      'Kommunen lägger ut mindre uppdrag inom äldreomsorg, snöröjning, kultur och fritid, ofta med möjlighet till arbetsträning. Uppdragen samordnas av näringslivs- och arbetsmarknadsenheten.',
    address: 'Torget 1, 921 81 Lycksele',
    billingEmail: 'fakturor@lycksele-kommun.example.se',
    website: 'https://lycksele-kommun.example.se',
    verified: true,
    members: [
      { name: 'Anna Lindqvist', email: 'anna.lindqvist@example.se', homeLocality: 'lycksele-lycksele' },
      { name: 'Mikael Hedman', email: 'mikael.hedman@example.se', homeLocality: 'hedlunda-lycksele' },
    ],
  },
  {
    key: 'norsjo',
    name: 'Norsjö kommun',
    type: 'kommun',
    organisationNumberBase: '212000935',
    municipalityCode: '2417',
    locality: 'norsjo-norsjo',
    description:
      'Norsjö kommun använder Uppdragsbanken för uppdrag i byarna: skötsel av spår och leder, hjälp till äldre och stöd till föreningslivet.',
    address: 'Storgatan 3, 935 81 Norsjö',
    billingEmail: 'fakturor@norsjo-kommun.example.se',
    website: 'https://norsjo-kommun.example.se',
    verified: true,
    members: [{ name: 'Elin Marklund', email: 'elin.marklund@example.se', homeLocality: 'norsjo-norsjo' }],
  },
  {
    key: 'norrtalje',
    name: 'Norrtälje kommun',
    type: 'kommun',
    organisationNumberBase: '212000946',
    municipalityCode: '0188',
    locality: 'norrtalje-norrtalje',
    description:
      'Norrtälje kommun lägger ut säsongsuppdrag i skärgården och på landsbygden: friluftsleder, badplatser, hamnar och sällskap för äldre. Flera uppdrag passar för arbetsträning med handledare.',
    address: 'Estunavägen 14, 761 81 Norrtälje',
    billingEmail: 'fakturor@norrtalje-kommun.example.se',
    website: 'https://norrtalje-kommun.example.se',
    verified: true,
    members: [
      { name: 'Fredrik Holm', email: 'fredrik.holm@example.se', homeLocality: 'norrtalje-norrtalje' },
      { name: 'Lina Bergqvist', email: 'lina.bergqvist@example.se', homeLocality: 'rimbo-norrtalje' },
    ],
  },
  {
    key: 'aterbruket',
    name: 'Återbruket i Lycksele ekonomisk förening',
    type: 'socialt_foretag',
    organisationNumberBase: '769634218',
    municipalityCode: '2481',
    locality: 'lycksele-lycksele',
    description:
      'Arbetsintegrerande socialt företag som driver second hand, vedservice och flytthjälp. Hos oss får människor som stått långt från arbetsmarknaden arbeta i egen takt med handledare vid sin sida.',
    address: 'Industrivägen 22, 921 32 Lycksele',
    billingEmail: 'ekonomi@aterbruket-lycksele.example.se',
    website: 'https://aterbruket-lycksele.example.se',
    verified: true,
    members: [{ name: 'Helena Sundqvist', email: 'helena.sundqvist@example.se', homeLocality: 'lycksele-lycksele' }],
  },
  {
    key: 'fastighet',
    name: 'Norsjö Fastighetsservice AB',
    type: 'foretag',
    organisationNumberBase: '559318047',
    municipalityCode: '2417',
    locality: 'norsjo-norsjo',
    description:
      'Vi förvaltar ett trettiotal hyreshus och villor i Norsjö, Bastuträsk och byarna runt omkring. Vid toppar i arbetet tar vi in lokala förmågor för trädgård, städning och mindre reparationer.',
    address: 'Skolgatan 8, 935 31 Norsjö',
    billingEmail: 'faktura@norsjo-fastighetsservice.example.se',
    website: 'https://norsjo-fastighetsservice.example.se',
    verified: true,
    members: [{ name: 'Tomas Lidström', email: 'tomas.lidstrom@example.se', homeLocality: 'norsjo-norsjo' }],
  },
];

export const RESIDENTS: DemoResident[] = [
  {
    name: 'Erik Nilsson',
    email: 'erik.nilsson@example.se',
    homeLocality: 'rusksele-lycksele',
    bio: 'Uppvuxen i Rusksele och har kört skogsmaskin i tjugo år. Numera halvtid på sågen, så jag har tid över för snöröjning och skogsjobb i byarna.',
    availability: 'Vardagar efter klockan 15 och de flesta helger.',
    drivingLicence: true,
    categories: ['snorojning', 'skog-och-mark'],
    localities: ['rusksele-lycksele', 'bjorksele-lycksele', 'lycksele-lycksele'],
    competence: {
      visibility: 'public',
      skills: [
        ['Trädfällning', 'can_teach'],
        ['Vedhuggning', 'can_teach'],
        ['Snöröjning med traktor', 'experienced'],
        ['Röjning', 'experienced'],
        ['skogsmaskin', 'experienced'],
      ],
      certificates: [
        ['Motorsågskörkort', 20],
        ['Röjsågskörkort', 900],
        ['B-körkort', null],
        ['Traktorkort', null],
      ],
      languages: [
        ['Svenska', 'can_teach'],
        ['Finska', 'beginner'],
      ],
      wishes: ['Webbsidor'],
      offers: [
        {
          title: 'Vedhuggning och kapning',
          description: 'Kapar, klyver och staplar ved med egen maskin. Kan ta med vedklyven till er.',
          priceSek: 250,
        },
        {
          title: 'Fälla riskträd',
          description: 'Fäller träd nära hus och ledningar säkert, med motorsågskörkort.',
          priceSek: 300,
        },
      ],
      learningMatches: true,
    },
  },
  {
    name: 'Amina Hassan',
    email: 'amina.hassan@example.se',
    homeLocality: 'lycksele-lycksele',
    bio: 'Undersköterska i grunden och har arbetat på äldreboende i Lycksele. Jag tycker om att laga mat och umgås, och talar svenska, arabiska och somaliska.',
    availability: 'Dagtid måndag till torsdag.',
    drivingLicence: false,
    categories: ['omsorg-och-sallskap', 'stadning'],
    localities: ['lycksele-lycksele', 'hedlunda-lycksele'],
    competence: {
      visibility: 'organisations',
      skills: [
        ['Sällskap för äldre', 'can_teach'],
        ['Matlagning', 'experienced'],
        ['Städning', 'experienced'],
        ['Bakning', 'beginner'],
      ],
      certificates: [
        ['Hygienintyg', 300],
        ['Första hjälpen', 120],
      ],
      languages: [
        ['Svenska', 'experienced'],
        ['Arabiska', 'can_teach'],
        ['Somaliska', 'can_teach'],
      ],
      wishes: ['B-körkort'],
      offers: [
        {
          title: 'Matlagning till fest',
          description: 'Lagar mat till föreningens fest eller kalas, gärna från Somalia och Mellanöstern.',
          priceSek: 200,
        },
        {
          title: 'Sällskap och promenader',
          description: 'Besöker äldre i Lycksele för en fika och en promenad.',
          volunteer: true,
        },
      ],
    },
  },
  {
    name: 'Jonas Lundgren',
    email: 'jonas.lundgren@example.se',
    homeLocality: 'norsjo-norsjo',
    bio: 'Webbutvecklare som flyttade hem till Norsjö och jobbar på distans. Har byggt hemsidor åt flera föreningar och hjälper gärna till med bokningssystem och sociala medier.',
    availability: 'Kvällar och enstaka dagar, helst på distans.',
    drivingLicence: true,
    categories: ['it-och-webb', 'administration'],
    localities: ['norsjo-norsjo', 'bastutrask-norsjo', 'bjurtrask-norsjo'],
    competence: {
      visibility: 'public',
      skills: [
        ['Webbsidor', 'can_teach'],
        ['WordPress', 'can_teach'],
        ['bokningssystem', 'experienced'],
        ['Sociala medier', 'experienced'],
        ['Fotografering', 'beginner'],
      ],
      certificates: [['B-körkort', null]],
      languages: [
        ['Svenska', 'can_teach'],
        ['Engelska', 'experienced'],
      ],
      wishes: ['Snickeri', 'Vedhuggning'],
      offers: [
        {
          title: 'Hemsida åt föreningen',
          description: 'Bygger en enkel hemsida med kalender och bokning som ni sedan sköter själva.',
          priceSek: 400,
        },
      ],
      learningMatches: true,
    },
  },
  {
    name: 'Sofia Berglund',
    email: 'sofia.berglund@example.se',
    homeLocality: 'bastutrask-norsjo',
    bio: 'Trädgårdsmästare med egen odling i Bastuträsk. Jag sköter rabatter, beskär fruktträd och målar gärna om ett plank eller två.',
    availability: 'Maj till september, flexibla tider.',
    drivingLicence: true,
    categories: ['tradgard', 'bygg-och-reparation'],
    localities: ['bastutrask-norsjo', 'norsjo-norsjo', 'talliden-norsjo'],
    competence: {
      visibility: 'hidden',
      skills: [
        ['Trädgårdsskötsel', 'can_teach'],
        ['beskärning', 'can_teach'],
        ['Gräsklippning', 'experienced'],
        ['Målning', 'beginner'],
      ],
      certificates: [['B-körkort', null]],
      languages: [['Svenska', 'can_teach']],
      wishes: ['Bokföring'],
    },
  },
  {
    name: 'Olle Johansson',
    email: 'olle.johansson@example.se',
    homeLocality: 'bjurtrask-norsjo',
    bio: 'Pensionerad byggnadssnickare. Har renoverat flera bygdegårdar och tycker om att lära ut gamla hantverkstekniker.',
    availability: 'Dagtid, men inte under älgjakten.',
    drivingLicence: true,
    categories: ['bygg-och-reparation', 'snorojning'],
    localities: ['bjurtrask-norsjo', 'bjursele-norsjo', 'norsjo-norsjo', 'svansele-norsjo'],
    competence: {
      visibility: 'public',
      skills: [
        ['Snickeri', 'can_teach'],
        ['fönsterrenovering', 'can_teach'],
        ['Takarbete', 'experienced'],
        ['Reparationer', 'experienced'],
      ],
      certificates: [
        ['Fallskyddsutbildning', 200],
        ['Ställningsbehörighet', 45],
      ],
      languages: [
        ['Svenska', 'can_teach'],
        ['Meänkieli', 'experienced'],
        ['Finska', 'experienced'],
      ],
      offers: [
        {
          title: 'Lär dig renovera fönster',
          description: 'Visar hur man kittar, målar och byter glas i gamla fönster. En kväll i bygdegården.',
          volunteer: true,
        },
      ],
      learningMatches: true,
    },
  },
  {
    name: 'Ahmad Rahimi',
    email: 'ahmad.rahimi@example.se',
    homeLocality: 'norrtalje-norrtalje',
    bio: 'Har kört lastbil och budbil i Stockholmsområdet. Nu bor jag i Norrtälje och tar gärna transporter, flytthjälp och skjutsuppdrag.',
    availability: 'Heltid just nu.',
    drivingLicence: true,
    categories: ['transport', 'ovrigt'],
    localities: ['norrtalje-norrtalje', 'rimbo-norrtalje', 'finsta-norrtalje'],
    competence: {
      visibility: 'organisations',
      skills: [
        ['Flytthjälp', 'experienced'],
        ['Budkörning', 'experienced'],
        ['Körning med släp', 'experienced'],
      ],
      certificates: [
        ['C-körkort', 45],
        ['BE-körkort', null],
        ['Truckkort', 700],
      ],
      languages: [
        ['Persiska', 'can_teach'],
        ['Svenska', 'experienced'],
        ['Engelska', 'experienced'],
      ],
      offers: [
        { title: 'Flytthjälp med lastbil', description: 'Flyttar möbler och bohag i Norrtälje med omnejd.', priceSek: 350 },
      ],
    },
  },
  {
    name: 'Linnea Karlsson',
    email: 'linnea.karlsson@example.se',
    homeLocality: 'almsta-norrtalje',
    bio: 'Studerar kulturvetenskap på distans och har jobbat som guide på Väddö. Fotograferar evenemang och hjälper gärna till när byn ska fira.',
    availability: 'Helger och hela sommaren.',
    drivingLicence: false,
    categories: ['evenemang', 'kultur'],
    localities: ['almsta-norrtalje', 'grisslehamn-norrtalje', 'herrang-norrtalje'],
    competence: {
      visibility: 'organisations',
      skills: [
        ['Evenemangsplanering', 'experienced'],
        ['Fotografering', 'experienced'],
        ['Guidning', 'can_teach'],
        ['Servering', 'beginner'],
      ],
      languages: [
        ['Svenska', 'can_teach'],
        ['Engelska', 'experienced'],
        ['Tyska', 'beginner'],
      ],
      wishes: ['Bokföring', 'Sociala medier'],
      offers: [{ title: 'Guidade turer på Väddö', description: 'Guidar grupper i Grisslehamn och längs kusten.', priceSek: 300 }],
      learningMatches: true,
    },
  },
  {
    name: 'Marko Petrović',
    email: 'marko.petrovic@example.se',
    homeLocality: 'hallstavik-norrtalje',
    bio: 'Svetsare på bruket i Hallstavik i många år. Tar mindre reparationer, staket och smide, och har egen släpvagn.',
    availability: 'Kvällar och helger.',
    drivingLicence: true,
    categories: ['bygg-och-reparation'],
    localities: ['hallstavik-norrtalje', 'herrang-norrtalje', 'skebobruk-norrtalje'],
    competence: {
      visibility: 'hidden',
      skills: [
        ['svetsning', 'can_teach'],
        ['smide', 'experienced'],
        ['Stängsling', 'experienced'],
        ['Reparationer', 'experienced'],
      ],
      certificates: [
        ['Heta arbeten', -30],
        ['BE-körkort', null],
      ],
      languages: [
        ['Svenska', 'experienced'],
        ['serbiska', 'can_teach'],
      ],
    },
  },
  {
    name: 'Greta Holmström',
    email: 'greta.holmstrom@example.se',
    homeLocality: 'edsbro-norrtalje',
    bio: 'Redovisningsekonom som gått ner i tid. Jag har varit kassör i tre föreningar och hjälper gärna andra med bokföring, bokslut och medlemsregister.',
    availability: 'Två dagar i veckan, går bra på distans.',
    drivingLicence: true,
    categories: ['administration', 'kultur'],
    localities: ['edsbro-norrtalje', 'norrtalje-norrtalje', 'rimbo-norrtalje'],
    competence: {
      visibility: 'public',
      skills: [
        ['Bokföring', 'can_teach'],
        ['bokslut', 'experienced'],
        ['Föreningsadministration', 'experienced'],
        ['Bidragsansökningar', 'beginner'],
      ],
      certificates: [['B-körkort', null]],
      languages: [
        ['Svenska', 'can_teach'],
        ['Engelska', 'experienced'],
      ],
      wishes: ['Fotografering'],
      offers: [
        {
          title: 'Hjälp med föreningens bokslut',
          description: 'Går igenom verifikationerna och gör bokslutet tillsammans med kassören.',
          volunteer: true,
        },
      ],
      learningMatches: true,
    },
  },
  {
    name: 'Tove Sandberg',
    email: 'tove.sandberg@example.se',
    homeLocality: 'kristineberg-lycksele',
    bio: 'Fiskeguide på somrarna längs Vindelälven och aktiv i fiskevårdsområdet. Vintertid kör jag skoter och hjälper till med ledröjning.',
    availability: 'Säsongsvis; mest ledig vår och höst.',
    drivingLicence: true,
    categories: ['vatten-och-fiske', 'skog-och-mark'],
    localities: ['kristineberg-lycksele', 'bjorksele-lycksele', 'vindelgransele-lycksele'],
    competence: {
      visibility: 'organisations',
      skills: [
        ['Fiske', 'can_teach'],
        ['fiskevård', 'experienced'],
        ['Guidning', 'experienced'],
        ['Båtvård', 'beginner'],
      ],
      certificates: [
        ['Förarbevis för båt', null],
        ['Första hjälpen', 25],
      ],
      languages: [
        ['Svenska', 'can_teach'],
        ['Samiska', 'experienced'],
        ['Engelska', 'experienced'],
      ],
      wishes: ['Trädfällning', 'Motorsågskörkort'],
      offers: [{ title: 'Fiskeguidning på Vindelälven', description: 'Dagsturer med flugfiske för nybörjare.', priceSek: 450 }],
      learningMatches: true,
    },
  },
];

/**
 * Finished work that organisations confirmed skills for (issue 15, item 3): each a completed assignment with the
 * resident's accepted application and, per skill, a confirmation by the organisation's first member. Without pay
 * (volunteer or by agreement), so it loads without the billing demo; times count from the start of today.
 */
export interface DemoConfirmedWork {
  org: string;
  worker: string;
  title: string;
  description: string;
  category: string;
  locality: string;
  compensation: { type: 'volunteer' } | { type: 'by_agreement' };
  endedDaysAgo: number;
  /** Skill words as the organisation picked them (matched to the vocabulary). */
  confirmed: string[];
  /** The resident chose to hide these confirmations. */
  hidden?: string[];
}

export const CONFIRMED_WORK: DemoConfirmedWork[] = [
  {
    org: 'rusksele',
    worker: 'erik.nilsson@example.se',
    title: 'Fälla riskträd vid badplatsen i Rusksele',
    description: 'Tre torra granar lutar mot badplatsens omklädningsstuga och behöver fällas säkert och kapas till ved.',
    category: 'skog-och-mark',
    locality: 'rusksele-lycksele',
    compensation: { type: 'by_agreement' },
    endedDaysAgo: 75,
    confirmed: ['Trädfällning', 'Motorsågskörkort', 'Vedhuggning'],
  },
  {
    org: 'lycksele',
    worker: 'amina.hassan@example.se',
    title: 'Laga soppa till öppna förskolans höstfest',
    description: 'Öppna förskolan bjuder föräldrar och barn på soppa och bröd. Vi behöver någon som lagar mat för femtio.',
    category: 'evenemang',
    locality: 'lycksele-lycksele',
    compensation: { type: 'volunteer' },
    endedDaysAgo: 50,
    confirmed: ['Matlagning', 'Hygienintyg'],
  },
  {
    org: 'bastutrask',
    worker: 'olle.johansson@example.se',
    title: 'Renovera fönstren i Bastuträsk bygdegård',
    description: 'Sex spröjsade fönster i bygdegården ska skrapas, kittas och målas med linoljefärg.',
    category: 'bygg-och-reparation',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'by_agreement' },
    endedDaysAgo: 120,
    confirmed: ['Snickeri', 'Målning'],
    hidden: ['Målning'],
  },
  {
    org: 'almsta',
    worker: 'linnea.karlsson@example.se',
    title: 'Fotografera midsommarfirandet i Älmsta',
    description: 'Vi vill ha bilder från dansen kring stången och kaffeserveringen till föreningens hemsida.',
    category: 'kultur',
    locality: 'almsta-norrtalje',
    compensation: { type: 'volunteer' },
    endedDaysAgo: 160,
    confirmed: ['Fotografering', 'Servering'],
  },
  {
    org: 'edsbro',
    worker: 'greta.holmstrom@example.se',
    title: 'Gå igenom föreningens bokföring inför årsmötet',
    description: 'Kassören behöver hjälp att stämma av kontona och ställa upp resultat- och balansräkning.',
    category: 'administration',
    locality: 'edsbro-norrtalje',
    compensation: { type: 'volunteer' },
    endedDaysAgo: 200,
    confirmed: ['Bokföring'],
  },
];

export const ASSIGNMENTS: DemoAssignment[] = [
  // --- Lycksele kommun area -------------------------------------------------
  {
    org: 'rusksele',
    title: 'Snöskottning vid bygdegården i Rusksele',
    description:
      'Vi söker någon som håller entrén, trapporna och parkeringen vid bygdegården fria från snö under vintern. Efter snöfall på mer än tio centimeter ska det vara skottat före klockan 17, eftersom lokalen hyrs ut på kvällarna.\n\nSnöslunga finns i förrådet. Räkna med två till fyra timmar per tillfälle.',
    category: 'snorojning',
    locality: 'rusksele-lycksele',
    compensation: { type: 'hourly', amountSek: 220 },
    estimatedHours: 40,
    peopleNeeded: 2,
    requirements: 'Bo i eller nära Rusksele så att du kan rycka ut samma dag.',
    publishedDaysAgo: 4,
    applyInDays: 14,
    season: 'winter',
    durationDays: 100,
  },
  {
    org: 'rusksele',
    title: 'Röjning av sly längs skoterleden mot Björksele',
    description:
      'Skoterleden mellan Rusksele och Björksele håller på att växa igen på en sträcka av ungefär fyra kilometer. Slyet ska röjas en meter utanför ledkanten och läggas i högar.\n\nLedkartan och nycklar till vindskyddet får du av styrelsen.',
    category: 'skog-och-mark',
    locality: 'rusksele-lycksele',
    point: { lat: 64.882, lng: 18.751 },
    compensation: { type: 'fixed', amountSek: 6500 },
    estimatedHours: 30,
    peopleNeeded: 2,
    requirements: 'Egen röjsåg och skyddsutrustning. Motorsågskörkort är ett plus.',
    publishedDaysAgo: 12,
    applyInDays: 21,
    season: 'snow-free',
    durationDays: 20,
  },
  {
    org: 'rusksele',
    title: 'Hjälp vid midsommarfirandet i Rusksele',
    description:
      'Midsommarafton samlar ett par hundra personer på ängen vid bygdegården. Vi behöver folk som klär och reser stången, står i kiosken och plockar undan efteråt.\n\nDet bjuds på sill, potatis och jordgubbstårta till alla som hjälper till.',
    category: 'evenemang',
    locality: 'rusksele-lycksele',
    compensation: { type: 'volunteer' },
    estimatedHours: 6,
    peopleNeeded: 4,
    publishedDaysAgo: 9,
    applyInDays: 30,
    onDate: 'midsummer-eve',
    startAfterApply: 1,
    durationDays: 0,
  },
  {
    org: 'rusksele',
    title: 'Ny hemsida till byaföreningen',
    description:
      'Vår gamla hemsida går inte längre att uppdatera. Vi vill ha en enkel och mobilvänlig sida som styrelsen själv kan redigera.\n\nSidan ska innehålla:\n- kalender för bygdegårdens evenemang\n- bokningsförfrågan för lokalen\n- information om skoterlederna med karta\n\nText och bilder tar vi fram själva.',
    category: 'it-och-webb',
    locality: 'rusksele-lycksele',
    compensation: { type: 'fixed', amountSek: 8000 },
    estimatedHours: 30,
    requirements: 'Visa gärna exempel på sidor du har byggt.',
    publishedDaysAgo: 17,
    applyInDays: 12,
    startAfterApply: 5,
    durationDays: 45,
  },
  {
    org: 'rusksele',
    title: 'Fiskevård i Vindelälven – utsättning av öring',
    description:
      'Tillsammans med fiskevårdsområdet sätter vi ut öringyngel i biflöden till Vindelälven. Yngeln bärs i hinkar från bilvägen ner till bäckarna, ibland en bit genom skogen.\n\nVi börjar med genomgång och kaffe vid bygdegården klockan 9.',
    category: 'vatten-och-fiske',
    locality: 'rusksele-lycksele',
    compensation: { type: 'volunteer' },
    estimatedHours: 7,
    peopleNeeded: 4,
    requirements: 'Stövlar eller vadarbyxor och god kondition.',
    publishedDaysAgo: 6,
    applyInDays: 25,
    season: 'growing-season',
    durationDays: 0,
  },
  {
    org: 'bjorksele',
    title: 'Gräsklippning runt bygdegården i Björksele',
    description:
      'Gräsmattan och bollplanen runt bygdegården i Björksele behöver klippas en gång i veckan under säsongen, ungefär tre timmar per gång. Åkgräsklippare och trimmer finns i garaget och föreningen står för bensinen.',
    category: 'tradgard',
    locality: 'bjorksele-lycksele',
    compensation: { type: 'hourly', amountSek: 180 },
    estimatedHours: 45,
    publishedDaysAgo: 3,
    applyInDays: 28,
    season: 'growing-season',
    durationDays: 110,
  },
  {
    org: 'bjorksele',
    title: 'Storstädning av bygdegården i Björksele',
    description:
      'Efter en intensiv period med fester, filmkvällar och loppis behöver bygdegården en ordentlig storstädning. Stora salen, köket och toaletterna ska städas, borden torkas och ställas undan och soporna köras till återvinningsstationen.\n\nStädmaterial finns på plats.',
    category: 'stadning',
    locality: 'bjorksele-lycksele',
    compensation: { type: 'fixed', amountSek: 1500 },
    estimatedHours: 6,
    peopleNeeded: 2,
    publishedDaysAgo: 10,
    applyInDays: 8,
    startAfterApply: 3,
    durationDays: 0,
  },
  {
    org: 'bjorksele',
    title: 'Byte av takrännor på bygdegården',
    description:
      'Takrännorna på bygdegårdens norra långsida har rostat sönder och ska bytas på en sträcka av cirka 18 meter, inklusive två stuprör. Material köper föreningen efter din lista.\n\nPris och upplägg kommer vi överens om efter ett besök på plats.',
    category: 'bygg-och-reparation',
    locality: 'bjorksele-lycksele',
    compensation: { type: 'by_agreement' },
    estimatedHours: 16,
    requirements: 'Vana vid arbete på stege och tak. Egen ställning eller stege.',
    publishedDaysAgo: 21,
    applyInDays: 19,
    season: 'snow-free',
    durationDays: 14,
  },
  {
    org: 'bjorksele',
    title: 'Bokföring åt bygdegårdsföreningen',
    description:
      'Vår kassör flyttar och vi söker någon som tar över den löpande bokföringen för resten av året och gör bokslutet. Föreningen har ett par hundra verifikationer per år och använder ett vanligt bokföringsprogram.',
    category: 'administration',
    locality: 'bjorksele-lycksele',
    compensation: { type: 'hourly', amountSek: 300 },
    estimatedHours: 20,
    requirements: 'Erfarenhet av föreningsbokföring.',
    publishedDaysAgo: 15,
    applyInDays: 18,
    startAfterApply: 7,
    durationDays: 120,
  },
  {
    org: 'bjorksele',
    title: 'Skanning av gamla fotografier från Vindelgransele',
    description:
      'Byborna har lämnat in omkring 600 papperskopior från flottningstiden och skolan i Vindelgransele. Bilderna ska skannas, namnges och förses med de uppgifter som står på baksidan. Skanner och dator lånar vi ut.',
    category: 'kultur',
    locality: 'vindelgransele-lycksele',
    compensation: { type: 'fixed', amountSek: 3000 },
    estimatedHours: 15,
    publishedDaysAgo: 26,
    applyInDays: 10,
    startAfterApply: 4,
    durationDays: 30,
  },
  {
    org: 'lycksele',
    title: 'Skjuts till vårdcentralen för äldre i Örträsk',
    description:
      'Flera äldre i Örträsk saknar bil och har långt till vårdcentralen i Lycksele. Vi söker förare som kör dem till bokade besök och hem igen, oftast två gånger i veckan.\n\nKörjournal förs och milersättning betalas utöver timlönen.',
    category: 'transport',
    locality: 'ortrask-lycksele',
    compensation: { type: 'hourly', amountSek: 200 },
    estimatedHours: 60,
    peopleNeeded: 2,
    requirements: 'B-körkort och egen bil med plats för rullator.',
    publishedDaysAgo: 8,
    applyInDays: 16,
    startAfterApply: 7,
  },
  {
    org: 'lycksele',
    title: 'Sällskap och promenader för äldre i Hedlunda',
    description:
      'Hemtjänsten i Hedlunda har flera brukare som mår bäst av en promenad och en pratstund några gånger i veckan. Du går ut med dem, dricker kaffe och ser till att de har det bra.\n\nUppdraget passar för arbetsträning och en undersköterska är din handledare.',
    category: 'omsorg-och-sallskap',
    locality: 'hedlunda-lycksele',
    compensation: { type: 'hourly', amountSek: 170 },
    estimatedHours: 8,
    peopleNeeded: 2,
    requirements: 'Utdrag ur belastningsregistret krävs.',
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 5,
    applyInDays: 20,
    startAfterApply: 3,
    durationDays: 90,
  },
  {
    org: 'lycksele',
    title: 'Snöröjning av busskurer och gångvägar i Kristineberg',
    description:
      'Gångvägarna mellan skolan, affären och busshållplatserna i Kristineberg ska hållas öppna vintern igenom. Arbetet görs tidigt på morgonen efter snöfall så att skolbarnen kommer fram.',
    category: 'snorojning',
    locality: 'kristineberg-lycksele',
    compensation: { type: 'hourly', amountSek: 250 },
    estimatedHours: 80,
    requirements: 'Egen traktor eller fyrhjuling med plog och sandspridare.',
    publishedDaysAgo: 2,
    applyInDays: 11,
    season: 'winter',
    durationDays: 120,
  },
  {
    org: 'lycksele',
    title: 'Tillsyn av badplatsen vid Bäverträsk under sommaren',
    description:
      'Badplatsen vid Bäverträsk behöver tillsyn tre gånger i veckan: tömma soptunnor, städa torrdasset och kontrollera livboj och badbrygga. Fel rapporteras till fritidsenheten via en enkel app.',
    category: 'ovrigt',
    locality: 'bavertrask-lycksele',
    compensation: { type: 'hourly', amountSek: 160 },
    estimatedHours: 40,
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 14,
    applyInDays: 35,
    season: 'summer',
    durationDays: 70,
  },
  {
    org: 'lycksele',
    title: 'Guidning på Gammplatsen under sommarlovet',
    description:
      'Under sommarlovet erbjuder vi gratis visningar av Gammplatsen, den gamla marknads- och kyrkplatsen vid Umeälven. Du guidar grupper på svenska och gärna engelska, fyra dagar i veckan.\n\nUtbildning och manus får du av museet.',
    category: 'kultur',
    locality: 'lycksele-lycksele',
    compensation: { type: 'hourly', amountSek: 165 },
    estimatedHours: 120,
    peopleNeeded: 2,
    requirements: 'Intresse för lokalhistoria; kunskap om samisk kultur är meriterande.',
    publishedDaysAgo: 19,
    applyInDays: 40,
    season: 'summer',
    durationDays: 60,
  },
  {
    org: 'aterbruket',
    title: 'Vedhuggning och vedleverans till äldre i Lycksele',
    description:
      'Vi kluvar och staplar ved på vår gård och kör ut den i säckar till äldre kunder i Lycksele med omnejd. Arbetet sker i lag om tre med en handledare, och du lär dig hantera vedklyven säkert.',
    category: 'skog-och-mark',
    locality: 'lycksele-lycksele',
    compensation: { type: 'hourly', amountSek: 190 },
    estimatedHours: 60,
    peopleNeeded: 3,
    requirements: 'Skyddsskor; övrig skyddsutrustning lånar du av oss.',
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 7,
    applyInDays: 9,
    startAfterApply: 3,
    durationDays: 40,
  },
  {
    org: 'aterbruket',
    title: 'Flytthjälp och bortforsling av möbler',
    description:
      'Vi har fått flera beställningar på flytthjälp från dödsbon och äldre som flyttar till mindre boende. Du bär, packar och kör tillsammans med en av våra arbetsledare. Det som går att sälja tar vi till butiken.',
    category: 'transport',
    locality: 'lycksele-lycksele',
    compensation: { type: 'hourly', amountSek: 210 },
    estimatedHours: 24,
    peopleNeeded: 2,
    requirements: 'B-körkort; BE-behörighet för släpvagn är ett plus.',
    publishedDaysAgo: 11,
    applyInDays: 6,
    startAfterApply: 2,
    durationDays: 30,
  },
  {
    org: 'aterbruket',
    title: 'Storstädning av föreningslokal i Kristineberg',
    description:
      'Föreningslokalen i Kristineberg ska storstädas inför vinterns aktiviteter: fönster, golv, kök och förråd. Vi kör dit som ett arbetslag och äter lunch tillsammans på plats.',
    category: 'stadning',
    locality: 'kristineberg-lycksele',
    compensation: { type: 'fixed', amountSek: 2400 },
    estimatedHours: 12,
    peopleNeeded: 3,
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 13,
    applyInDays: 5,
    startAfterApply: 4,
    durationDays: 2,
  },

  // --- Norsjö kommun area ---------------------------------------------------
  {
    org: 'bastutrask',
    title: 'Snöskottning av taket på bygdegården i Bastuträsk',
    description:
      'Bygdegårdens tak har låg lutning och snön måste skottas ner när lasten blir för tung, oftast två eller tre gånger per vinter. Vi ringer när det är dags och betalar ett fast pris per tillfälle.',
    category: 'snorojning',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'fixed', amountSek: 3500 },
    estimatedHours: 8,
    peopleNeeded: 2,
    requirements: 'Fallskydd och vana att arbeta på tak.',
    publishedDaysAgo: 16,
    applyInDays: 15,
    season: 'winter',
    durationDays: 110,
  },
  {
    org: 'bastutrask',
    title: 'Servering och disk vid julmarknaden i Bastuträsk',
    description:
      'Julmarknaden i bygdegården lockar besökare från hela kommunen. Vi behöver hjälp i caféet med att koka kaffe, servera glögg och pepparkakor och diska.\n\nPasset är fyra timmar och du får ta med dig en julkorg hem.',
    category: 'evenemang',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'volunteer' },
    estimatedHours: 4,
    peopleNeeded: 4,
    publishedDaysAgo: 1,
    applyInDays: 12,
    onDate: { month: 12, day: 6 },
    startAfterApply: 1,
    durationDays: 0,
  },
  {
    org: 'bastutrask',
    title: 'Målning av bygdegårdens fasad med slamfärg',
    description:
      'Södra och västra fasaden behöver skrapas och målas om med röd slamfärg, totalt omkring 180 kvadratmeter. Föreningen står för färg och ställning. Vi diskuterar gärna ersättning per dag eller för hela jobbet.',
    category: 'bygg-och-reparation',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'by_agreement' },
    estimatedHours: 50,
    peopleNeeded: 3,
    requirements: 'Erfarenhet av fasadmålning.',
    publishedDaysAgo: 22,
    applyInDays: 26,
    season: 'summer',
    durationDays: 21,
  },
  {
    org: 'bastutrask',
    title: 'Gräsklippning av fotbollsplanen i Bastuträsk',
    description:
      'Fotbollsplanen ska klippas två gånger i veckan från maj till augusti och linjerna kritas inför hemmamatcherna. Åkgräsklippare och linjemålare finns i förrådet vid omklädningsrummen.',
    category: 'tradgard',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'hourly', amountSek: 190 },
    estimatedHours: 70,
    publishedDaysAgo: 18,
    applyInDays: 33,
    season: 'growing-season',
    durationDays: 100,
  },
  {
    org: 'bastutrask',
    title: 'Kassör sökes: löpande bokföring och bokslut',
    description:
      'Bygdegårdsföreningen söker hjälp med löpande bokföring, fakturering av lokalhyror och årets bokslut. Verifikationerna lämnas i en pärm varje månad och du arbetar hemifrån.',
    category: 'administration',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'hourly', amountSek: 280 },
    estimatedHours: 30,
    requirements: 'Vana vid bokföringsprogram.',
    publishedDaysAgo: 27,
    applyInDays: 7,
    startAfterApply: 10,
    durationDays: 150,
  },
  {
    org: 'norsjo',
    title: 'Ledare för språkcafé på biblioteket i Norsjö',
    description:
      'Varje onsdag träffas nyanlända och Norsjöbor på biblioteket för att prata svenska över en fika. Du håller i samtalen, tar fram teman och ser till att alla kommer till tals.\n\nTvå timmar i veckan under terminen.',
    category: 'kultur',
    locality: 'norsjo-norsjo',
    compensation: { type: 'hourly', amountSek: 200 },
    estimatedHours: 30,
    publishedDaysAgo: 9,
    applyInDays: 14,
    startAfterApply: 7,
    durationDays: 100,
  },
  {
    org: 'norsjo',
    title: 'Skötsel av motionsspåret på Norsjövallen',
    description:
      'Det fem kilometer långa motionsspåret på Norsjövallen ska rensas från nedfallna grenar, sten och sly inför skidsäsongen. Skyltar som saknas sätts upp och trasiga broar över diket noteras.',
    category: 'skog-och-mark',
    locality: 'norsjovallen-norsjo',
    compensation: { type: 'fixed', amountSek: 4000 },
    estimatedHours: 20,
    peopleNeeded: 2,
    requirements: 'Röjsåg; kommunen lånar ut om du saknar egen.',
    publishedDaysAgo: 20,
    applyInDays: 10,
    season: 'snow-free',
    durationDays: 14,
  },
  {
    org: 'norsjo',
    title: 'Matkassar till äldre i Kusfors och Svansele',
    description:
      'Varje torsdag packar affären i Norsjö matkassar till äldre i byarna längs Skellefteälven. Du hämtar kassarna klockan 13 och kör ut dem till ett tiotal hushåll i Kusfors och Svansele.',
    category: 'transport',
    locality: 'kusfors-norsjo',
    compensation: { type: 'hourly', amountSek: 190 },
    estimatedHours: 4,
    requirements: 'B-körkort och egen bil.',
    publishedDaysAgo: 3,
    applyInDays: 8,
    startAfterApply: 2,
  },
  {
    org: 'norsjo',
    title: 'Uppdatering av kommunens föreningsregister',
    description:
      'Kommunens register över föreningar, samlingslokaler och kontaktpersoner är inaktuellt. Du ringer och mejlar runt, uppdaterar uppgifterna och noterar vilka lokaler som går att hyra. Uppdraget passar för arbetsträning.',
    category: 'administration',
    locality: 'norsjo-norsjo',
    compensation: { type: 'hourly', amountSek: 230 },
    estimatedHours: 25,
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 24,
    applyInDays: 4,
    startAfterApply: 5,
    durationDays: 30,
  },
  {
    org: 'fastighet',
    title: 'Vårstädning av rabatter och gräsmattor i Norsjö',
    description:
      'Vid våra hyreshus i Norsjö ska rabatterna rensas, gräsmattorna krattas och grus sopas upp efter vintern. Vi står för verktyg, säckar och bortforsling.',
    category: 'tradgard',
    locality: 'norsjo-norsjo',
    compensation: { type: 'hourly', amountSek: 210 },
    estimatedHours: 40,
    peopleNeeded: 2,
    publishedDaysAgo: 6,
    applyInDays: 24,
    season: 'spring',
    durationDays: 21,
  },
  {
    org: 'fastighet',
    title: 'Trappstädning i flerfamiljshus',
    description:
      'Vi söker en person som städar trapphus och tvättstugor i fyra flerfamiljshus i centrala Norsjö varannan vecka. Städvagn och material finns i varje hus.',
    category: 'stadning',
    locality: 'norsjo-norsjo',
    compensation: { type: 'hourly', amountSek: 195 },
    estimatedHours: 8,
    publishedDaysAgo: 29,
    applyInDays: 3,
    startAfterApply: 4,
  },
  {
    org: 'fastighet',
    title: 'Reparation av staket och grindar i Talliden',
    description:
      'Runt två av våra villor i Talliden har staketet ruttnat på flera ställen och grindarna hänger snett. Trasiga sektioner ska bytas, stolpar rätas upp och allt grundmålas.\n\nVirke levereras till tomten.',
    category: 'bygg-och-reparation',
    locality: 'talliden-norsjo',
    compensation: { type: 'fixed', amountSek: 5200 },
    estimatedHours: 24,
    requirements: 'Egen bil och grundläggande verktyg.',
    publishedDaysAgo: 12,
    applyInDays: 17,
    season: 'snow-free',
    durationDays: 10,
  },
  {
    org: 'fastighet',
    title: 'Snöröjning av uppfarter i Bjursele',
    description:
      'Vi förvaltar sex fritidshus i Bjursele vars uppfarter ska plogas efter snöfall, så att ägarna kommer fram när de kommer upp på helgerna. Snöslunga eller plog behövs.',
    category: 'snorojning',
    locality: 'bjursele-norsjo',
    compensation: { type: 'hourly', amountSek: 240 },
    estimatedHours: 30,
    peopleNeeded: 2,
    requirements: 'Egen traktor med plog eller kraftig snöslunga.',
    publishedDaysAgo: 5,
    applyInDays: 13,
    season: 'winter',
    durationDays: 100,
  },
  {
    org: 'bjurtrask',
    draft: true,
    title: 'Ny hemsida och Facebooksida för Bjurträsk byaförening',
    description:
      'Byaföreningen behöver en enkel hemsida med kalender och en Facebooksida som flera i styrelsen kan sköta. Vi vill också ha hjälp att lägga upp gamla bilder från byn.',
    category: 'it-och-webb',
    locality: 'bjurtrask-norsjo',
    compensation: { type: 'by_agreement' },
    estimatedHours: 20,
    publishedDaysAgo: 2,
    applyInDays: 30,
    startAfterApply: 7,
    durationDays: 30,
  },
  {
    org: 'bjurtrask',
    draft: true,
    title: 'Fiskevårdsdag vid Bjurträsket – rensning av lekbäckar',
    description:
      'Bäckarna som rinner till Bjurträsket har slammat igen och harren har svårt att leka. Vi rensar bort ris och lägger tillbaka lekgrus under en gemensam dag med korvgrillning.',
    category: 'vatten-och-fiske',
    locality: 'bjurtrask-norsjo',
    compensation: { type: 'volunteer' },
    estimatedHours: 6,
    peopleNeeded: 4,
    publishedDaysAgo: 1,
    applyInDays: 30,
    season: 'summer',
    durationDays: 0,
  },

  // --- Norrtälje kommun area ------------------------------------------------
  {
    org: 'almsta',
    title: 'Gräsklippning och linjemålning av fotbollsplanen i Älmsta',
    description:
      'A-planen och träningsplanen på idrottsplatsen i Älmsta klipps två gånger i veckan och linjerna målas inför varje hemmamatch. Du får en genomgång av maskinerna av vår vaktmästare.',
    category: 'tradgard',
    locality: 'almsta-norrtalje',
    compensation: { type: 'hourly', amountSek: 200 },
    estimatedHours: 80,
    peopleNeeded: 2,
    publishedDaysAgo: 10,
    applyInDays: 22,
    season: 'growing-season',
    durationDays: 110,
  },
  {
    org: 'almsta',
    title: 'Kioskansvarig under hemmamatcherna',
    description:
      'Vid A-lagets hemmamatcher säljer vi kaffe, korv och lotter i kiosken. Du ansvarar för kassan, beställer varor och ser till att kiosken är städad efter matchen.\n\nPassar bra som första jobb eller för arbetsträning.',
    category: 'evenemang',
    locality: 'almsta-norrtalje',
    compensation: { type: 'hourly', amountSek: 150 },
    estimatedHours: 40,
    peopleNeeded: 3,
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 8,
    applyInDays: 27,
    season: 'summer',
    durationDays: 100,
  },
  {
    org: 'almsta',
    title: 'Ny bokningssida för klubbstugan',
    description:
      'Klubbstugan hyrs ut till kalas och möten, men bokningarna sköts i dag via telefon och en pappersalmanacka. Vi vill ha en bokningssida på föreningens hemsida med kalender, bekräftelse via e-post och betalning med Swish.',
    category: 'it-och-webb',
    locality: 'almsta-norrtalje',
    compensation: { type: 'fixed', amountSek: 6000 },
    estimatedHours: 25,
    requirements: 'Erfarenhet av bokningssystem eller WordPress.',
    publishedDaysAgo: 23,
    applyInDays: 9,
    startAfterApply: 5,
    durationDays: 40,
  },
  {
    org: 'almsta',
    title: 'Spolning och snöskottning av isbanan i Älmsta',
    description:
      'När kylan kommer spolar vi upp en isbana på grusplanen i Älmsta. Banan ska skottas efter snöfall och spolas på kvällarna när det är minst tio minusgrader.\n\nSlang, snöskyfflar och pannlampor finns i klubbstugan.',
    category: 'snorojning',
    locality: 'almsta-norrtalje',
    compensation: { type: 'hourly', amountSek: 180 },
    estimatedHours: 50,
    peopleNeeded: 3,
    publishedDaysAgo: 4,
    applyInDays: 10,
    season: 'winter',
    durationDays: 80,
  },
  {
    org: 'edsbro',
    title: 'Städning av Edsbro bygdegård efter höstmarknaden',
    description:
      'Höstmarknaden fyller bygdegården med knallar och besökare en hel helg. Dagen efter ska salen, köket och toaletterna städas och borden bäras tillbaka till förrådet. Vi bjuder på lunch.',
    category: 'stadning',
    locality: 'edsbro-norrtalje',
    compensation: { type: 'fixed', amountSek: 1800 },
    estimatedHours: 7,
    peopleNeeded: 2,
    publishedDaysAgo: 15,
    applyInDays: 20,
    season: 'autumn',
    durationDays: 0,
  },
  {
    org: 'edsbro',
    title: 'Renovering av fönster på hembygdsgården',
    description:
      'Hembygdsgårdens tolv spröjsade fönster från 1800-talet behöver skrapas, kittas och målas med linoljefärg. Arbetet kan göras i etapper under sommaren.\n\nVi kommer överens om pris efter att du har sett fönstren.',
    category: 'bygg-och-reparation',
    locality: 'edsbro-norrtalje',
    compensation: { type: 'by_agreement' },
    estimatedHours: 60,
    requirements: 'Erfarenhet av linoljefärg och kittning.',
    publishedDaysAgo: 28,
    applyInDays: 31,
    season: 'snow-free',
    durationDays: 60,
  },
  {
    org: 'edsbro',
    title: 'Hjälp att bygga upp utställningen till hembygdsdagen',
    description:
      'Till hembygdsdagen visar vi en utställning om Edsbro bruk med föremål, kartor och fotografier. Vi behöver hjälp att bära, bygga montrar och sätta upp skyltar dagen innan.',
    category: 'evenemang',
    locality: 'edsbro-norrtalje',
    compensation: { type: 'volunteer' },
    estimatedHours: 5,
    peopleNeeded: 3,
    publishedDaysAgo: 11,
    applyInDays: 29,
    season: 'summer',
    durationDays: 0,
  },
  {
    org: 'edsbro',
    title: 'Digitalisering av föreningens protokoll 1920–1970',
    description:
      'Föreningens handskrivna protokoll från 1920 till 1970 ska fotograferas sida för sida och sparas med tydliga filnamn. Du får låna stativ och kamera och arbetar i arkivrummet i bygdegården.',
    category: 'kultur',
    locality: 'edsbro-norrtalje',
    compensation: { type: 'fixed', amountSek: 3500 },
    estimatedHours: 20,
    publishedDaysAgo: 25,
    applyInDays: 15,
    startAfterApply: 3,
    durationDays: 45,
  },
  {
    org: 'norrtalje',
    title: 'Sällskap vid promenader för boende på äldreboendet i Rimbo',
    description:
      'Boende på äldreboendet i Rimbo önskar fler promenader och samtal. Du går ut med en eller två boende i taget, eller läser tidningen tillsammans när vädret är dåligt.\n\nEn handledare finns på plats och uppdraget passar för arbetsträning.',
    category: 'omsorg-och-sallskap',
    locality: 'rimbo-norrtalje',
    compensation: { type: 'hourly', amountSek: 175 },
    estimatedHours: 10,
    peopleNeeded: 3,
    requirements: 'Utdrag ur belastningsregistret krävs.',
    workTraining: true,
    supervisorAvailable: true,
    publishedDaysAgo: 7,
    applyInDays: 18,
    startAfterApply: 5,
    durationDays: 120,
  },
  {
    org: 'norrtalje',
    title: 'Värd vid turistinformationen i Grisslehamn',
    description:
      'I sommar håller vi en liten turistinformation öppen vid färjeläget i Grisslehamn. Du svarar på frågor om färjor, vandringsleder och badplatser och delar ut kartor.',
    category: 'ovrigt',
    locality: 'grisslehamn-norrtalje',
    compensation: { type: 'hourly', amountSek: 160 },
    estimatedHours: 150,
    peopleNeeded: 2,
    requirements: 'Goda kunskaper i svenska och engelska.',
    publishedDaysAgo: 30,
    applyInDays: 38,
    season: 'summer',
    durationDays: 70,
  },
  {
    org: 'norrtalje',
    title: 'Röjning kring Roslagsleden vid Skebobruk',
    description:
      'En etapp av Roslagsleden norr om Skebobruk har vuxit igen och är svår att följa. Leden ska röjas två meter bred, och nedfallna träd över stigen kapas och läggs åt sidan.',
    category: 'skog-och-mark',
    locality: 'skebobruk-norrtalje',
    compensation: { type: 'fixed', amountSek: 4500 },
    estimatedHours: 24,
    peopleNeeded: 2,
    requirements: 'Egen motorsåg och motorsågskörkort.',
    publishedDaysAgo: 13,
    applyInDays: 23,
    season: 'snow-free',
    durationDays: 21,
  },
  {
    org: 'norrtalje',
    title: 'Skötsel av gästhamnen i Furusund',
    description:
      'Gästhamnen i Furusund behöver skötas under båtsäsongen: ta emot båtar, ta betalt för förtöjning, hålla servicehuset rent och tömma sopkärlen. Du arbetar varannan helg och några vardagskvällar.',
    category: 'vatten-och-fiske',
    locality: 'furusund-norrtalje',
    compensation: { type: 'hourly', amountSek: 210 },
    estimatedHours: 90,
    peopleNeeded: 2,
    requirements: 'Vana vid båtar; förarintyg är ett plus.',
    publishedDaysAgo: 18,
    applyInDays: 36,
    season: 'summer',
    durationDays: 80,
  },
  {
    org: 'norrtalje',
    draft: true,
    title: 'Handledare för feriearbetare i Hallstavik',
    description:
      'Sommarens feriearbetare i Hallstavik ska arbeta med parkskötsel och måla bänkar. Vi söker en vuxen som leder gruppen på åtta ungdomar, fördelar arbetet och följer upp närvaron.',
    category: 'ovrigt',
    locality: 'hallstavik-norrtalje',
    compensation: { type: 'hourly', amountSek: 230 },
    estimatedHours: 120,
    publishedDaysAgo: 2,
    applyInDays: 40,
    season: 'summer',
    durationDays: 30,
  },
  {
    org: 'lycksele',
    draft: true,
    title: 'Datorkurs för seniorer på biblioteket',
    description:
      'Vi planerar en kurs för seniorer i att använda BankID, Kivra och videosamtal. Du leder fyra träffar om två timmar och hjälper deltagarna med deras egna telefoner och surfplattor.',
    category: 'it-och-webb',
    locality: 'lycksele-lycksele',
    compensation: { type: 'hourly', amountSek: 250 },
    estimatedHours: 10,
    publishedDaysAgo: 1,
    applyInDays: 30,
    startAfterApply: 7,
    durationDays: 28,
  },
];

// Billing (seeds/demo-billing.ts): residents with a simplified-enterprise account, and finished work billed through
// it in every state a basis and its invoice can be in, spread over the three pilot municipalities. Dates count back
// from today: the work ended `endedDaysAgo` days ago and was invoiced `invoicedDaysAgo` days ago (payment terms are
// 30 days, so an invoice older than that is overdue).

export interface DemoEnterpriseAccount {
  email: string;
  birthDate: string;
  /** Three digits after the birth date; 98x is Skatteverket's series for made-up numbers. The check digit is added. */
  serial: string;
  clearingNumber: string;
  accountNumber: string;
  taxMode: 'side_income' | 'sink';
}

export type DemoBillingState = 'draft' | 'submitted' | 'disputed' | 'invoiced' | 'overdue' | 'paid';

export interface DemoBilledWork {
  state: DemoBillingState;
  org: string;
  worker: string;
  title: string;
  description: string;
  category: string;
  locality: string;
  compensation: { type: 'hourly' | 'fixed'; amountSek: number };
  /** Hours at the assignment's rate, or the fixed amount. */
  hours?: number;
  lineDescription: string;
  endedDaysAgo: number;
  invoicedDaysAgo?: number;
  disputeComment?: string;
}

export const ENTERPRISE_ACCOUNTS: DemoEnterpriseAccount[] = [
  {
    email: 'erik.nilsson@example.se',
    birthDate: '1984-03-12',
    serial: '981',
    clearingNumber: '6789',
    accountNumber: '123456789',
    taxMode: 'side_income',
  },
  {
    email: 'jonas.lundgren@example.se',
    birthDate: '1991-08-27',
    serial: '982',
    clearingNumber: '8424-4',
    accountNumber: '983 189 224-6',
    taxMode: 'side_income',
  },
  {
    email: 'ahmad.rahimi@example.se',
    birthDate: '1979-11-05',
    serial: '983',
    clearingNumber: '9789',
    accountNumber: '1111113',
    taxMode: 'side_income',
  },
  {
    email: 'sofia.berglund@example.se',
    birthDate: '1996-02-19',
    serial: '984',
    clearingNumber: '9071',
    accountNumber: '417 23 83',
    taxMode: 'sink',
  },
];

export const BILLED_WORK: DemoBilledWork[] = [
  {
    state: 'draft',
    org: 'rusksele',
    worker: 'erik.nilsson@example.se',
    title: 'Skotta taket på bygdegården i Rusksele',
    description: 'Snön på bygdegårdens tak behöver skottas ner innan vårsolen gör den tung. Stege och säkerhetslina finns.',
    category: 'snorojning',
    locality: 'rusksele-lycksele',
    compensation: { type: 'hourly', amountSek: 240 },
    hours: 5,
    lineDescription: 'Takskottning',
    endedDaysAgo: 2,
  },
  {
    state: 'submitted',
    org: 'rusksele',
    worker: 'erik.nilsson@example.se',
    title: 'Röja sly längs skoterleden mot Storforsen',
    description: 'Slyet längs de första tre kilometerna av skoterleden behöver röjas med röjsåg innan snön kommer.',
    category: 'skog-och-mark',
    locality: 'rusksele-lycksele',
    compensation: { type: 'hourly', amountSek: 260 },
    hours: 12,
    lineDescription: 'Slyröjning med röjsåg',
    endedDaysAgo: 6,
  },
  {
    state: 'disputed',
    org: 'bastutrask',
    worker: 'jonas.lundgren@example.se',
    title: 'Måla om staketet vid fotbollsplanen i Bastuträsk',
    description: 'Staketet runt fotbollsplanen ska skrapas och målas med slamfärg. Färg och penslar finns i förrådet.',
    category: 'bygg-och-reparation',
    locality: 'bastutrask-norsjo',
    compensation: { type: 'hourly', amountSek: 220 },
    hours: 16,
    lineDescription: 'Skrapning och målning av staket',
    endedDaysAgo: 9,
    disputeComment: 'Vi hade kommit överens om tolv timmar, inte sexton. Ändra gärna och skicka igen.',
  },
  {
    state: 'invoiced',
    org: 'almsta',
    worker: 'sofia.berglund@example.se',
    title: 'Städa Älmsta bygdegård efter höstmarknaden',
    description: 'Efter höstmarknaden behöver stora salen, köket och toaletterna städas ordentligt. Städmaterial finns.',
    category: 'stadning',
    locality: 'almsta-norrtalje',
    compensation: { type: 'fixed', amountSek: 1800 },
    lineDescription: 'Storstädning av bygdegården',
    endedDaysAgo: 8,
    invoicedDaysAgo: 5,
  },
  {
    state: 'overdue',
    org: 'bjurtrask',
    worker: 'ahmad.rahimi@example.se',
    title: 'Byta takrännor på Bjurträsk bystuga',
    description: 'De gamla takrännorna på bystugan läcker och ska bytas mot nya. Material är inköpt och ligger på plats.',
    category: 'bygg-och-reparation',
    locality: 'bjurtrask-norsjo',
    compensation: { type: 'fixed', amountSek: 4200 },
    lineDescription: 'Byte av takrännor och stuprör',
    endedDaysAgo: 44,
    invoicedDaysAgo: 40,
  },
  {
    state: 'paid',
    org: 'bjorksele',
    worker: 'erik.nilsson@example.se',
    title: 'Ved till bygdegården i Björksele',
    description: 'Vedboden ska fyllas inför vintern: kapa, klyva och stapla ungefär tio kubikmeter björkved.',
    category: 'skog-och-mark',
    locality: 'bjorksele-lycksele',
    compensation: { type: 'hourly', amountSek: 230 },
    hours: 14,
    lineDescription: 'Kapning, klyvning och stapling av ved',
    endedDaysAgo: 30,
    invoicedDaysAgo: 26,
  },
];
