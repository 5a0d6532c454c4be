import type { Knex } from 'knex';
import { inTransaction } from '../src/platform/db.js';
import { CATEGORIES, loadLocalities, loadMunicipalities } from './reference.js';

// Synthetic but realistic assignments for the search benchmark (npm run
// bench:search) and for tests that need volume: Swedish titles and descriptions
// built from real phrases per category, every municipality of the reference
// data (round robin, so N ≥ 290 covers all) and their villages with
// coordinates, a mix of compensation types and dates relative to `now`.
// Deterministic: the same count, seed and `now` give the same rows.

export type SyntheticCompensationType = 'hourly' | 'fixed' | 'volunteer' | 'by_agreement';

/** One assignment, with references by natural key (slug, code, name); the loader resolves the ids. */
export interface SyntheticAssignment {
  /** Index into SYNTHETIC_ORGANISATIONS. */
  organisation: number;
  title: string;
  description: string;
  categorySlug: string;
  municipalityCode: string;
  /** A village of the municipality from seeds/data/localities.csv, or null (the whole municipality). */
  localityName: string | null;
  /** An exact point near the village, when the work is not in the village itself. */
  lat: number | null;
  lng: number | null;
  compensationType: SyntheticCompensationType;
  amountSek: number | null;
  estimatedHours: number | null;
  startsOn: string;
  endsOn: string | null;
  applyBy: string;
  peopleNeeded: number;
  requirements: string;
  workTraining: boolean;
  supervisorAvailable: boolean;
  status: 'published' | 'draft';
  publishedAt: Date | null;
}

export const SYNTHETIC_ORGANISATION_SLUG_PREFIX = 'syntetisk-';

/** The posting organisations: verified, so their assignments are published without review. */
export const SYNTHETIC_ORGANISATIONS: ReadonlyArray<{
  name: string;
  type: 'forening' | 'kommun' | 'socialt_foretag' | 'foretag';
  municipalityCode: string;
}> = [
  { name: 'Syntetisk bygdeförening Norr', type: 'forening', municipalityCode: '2481' },
  { name: 'Syntetisk bygdeförening Mitt', type: 'forening', municipalityCode: '2417' },
  { name: 'Syntetisk bygdeförening Syd', type: 'forening', municipalityCode: '0188' },
  { name: 'Syntetiska kommunens arbetsmarknadsenhet', type: 'kommun', municipalityCode: '2481' },
  { name: 'Syntetiskt arbetsintegrerande socialt företag', type: 'socialt_foretag', municipalityCode: '2417' },
  { name: 'Syntetiska Fastighetsservice AB', type: 'foretag', municipalityCode: '0188' },
  { name: 'Syntetisk idrottsförening', type: 'forening', municipalityCode: '2481' },
  { name: 'Syntetisk hembygdsförening', type: 'forening', municipalityCode: '0188' },
];

type CompensationMix = ReadonlyArray<{
  type: SyntheticCompensationType;
  weight: number;
  /** Whole kronor: [min, max, step] for paid work. */
  range?: readonly [number, number, number];
}>;

interface Vocabulary {
  /** Share of all assignments, relative to the other categories. */
  weight: number;
  /** {ort} is the village (or the municipality when there is none). */
  titles: readonly string[];
  openings: readonly string[];
  details: readonly string[];
  compensation: CompensationMix;
  hours: readonly [number, number];
  requirements: readonly string[];
}

const HOURLY_LOW = [150, 260, 10] as const;
const HOURLY_SKILLED = [220, 450, 10] as const;

const VOCABULARY: Record<string, Vocabulary> = {
  snorojning: {
    weight: 12,
    titles: [
      'Snöskottning vid bygdegården i {ort}',
      'Snöskottning av taket på föreningslokalen i {ort}',
      'Snöröjning av uppfarter i {ort}',
      'Skotta snö åt äldre i {ort}',
      'Snöröjning av busskurer och gångvägar i {ort}',
      'Spolning och snöskottning av isbanan i {ort}',
      'Sandning och snöskottning vid skolan i {ort}',
      'Takskottning av ladugård i {ort}',
    ],
    openings: [
      'Vi behöver hjälp med snöskottning under vintern i {ort}.',
      'Efter varje snöfall ska gångar, trappor och entréer skottas fria.',
      'Taket har fått mycket snö och behöver skottas innan det blir för tungt.',
      'Flera äldre i {ort} behöver hjälp att hålla uppfarten och vägen till brevlådan fri från snö.',
      'Isbanan vid byskolan ska spolas och hållas fri från snö så att barnen kan åka skridskor.',
    ],
    details: [
      'Skotta finns på plats men ta gärna med egen snöskyffel.',
      'Arbetet sker efter snöfall, oftast tidigt på morgonen innan folk ska till jobbet.',
      'Sandning av trappor och gångar ingår.',
      'Vid takskottning finns säkerhetssele och stege; du måste kunna använda fallskydd.',
      'Det är bra om du bor nära så att du kan rycka ut med kort varsel.',
      'Vi har en snöslunga som du får använda efter en genomgång.',
    ],
    compensation: [
      { type: 'hourly', weight: 6, range: HOURLY_LOW },
      { type: 'fixed', weight: 3, range: [400, 4000, 100] },
      { type: 'volunteer', weight: 1 },
    ],
    hours: [2, 40],
    requirements: ['Egen snöskyffel', 'Fallskydd vid takskottning', 'Körkort B', 'Bor gärna i närheten'],
  },
  tradgard: {
    weight: 14,
    titles: [
      'Gräsklippning runt bygdegården i {ort}',
      'Gräsklippning av fotbollsplanen i {ort}',
      'Klippa gräs och rensa rabatter i {ort}',
      'Vårstädning av trädgården i {ort}',
      'Plantering av sommarblommor vid kyrkan i {ort}',
      'Häckklippning och lövkrattning i {ort}',
      'Skötsel av odlingslotter i {ort}',
      'Beskärning av fruktträd i {ort}',
    ],
    openings: [
      'Gräsmattan runt bygdegården i {ort} behöver klippas varannan vecka under sommaren.',
      'Vi söker någon som kan hjälpa till med trädgårdsarbete i {ort}.',
      'Rabatterna ska rensas, grusgångarna krattas och häcken klippas.',
      'På våren behöver löv och kvistar krattas bort och rabatterna göras i ordning.',
      'Fruktträden har inte beskurits på flera år och behöver en kunnig hand.',
    ],
    details: [
      'Åkgräsklippare och trimmer finns i förrådet.',
      'Trädgårdsavfallet körs till återvinningscentralen eller komposteras på plats.',
      'Du planerar själv när arbetet görs, så länge det blir klart före helgen.',
      'Bensin och verktyg betalas av föreningen.',
      'Passar bra för den som tycker om att arbeta utomhus.',
      'Vi visar var allt finns första gången.',
    ],
    compensation: [
      { type: 'hourly', weight: 6, range: HOURLY_LOW },
      { type: 'fixed', weight: 3, range: [500, 6000, 100] },
      { type: 'volunteer', weight: 2 },
    ],
    hours: [2, 60],
    requirements: ['Vana att köra åkgräsklippare', 'Körkort B', 'Egna arbetshandskar'],
  },
  'bygg-och-reparation': {
    weight: 10,
    titles: [
      'Byte av takrännor på bygdegården i {ort}',
      'Reparation av staket och grindar i {ort}',
      'Målning av fasaden med slamfärg i {ort}',
      'Renovering av fönster på hembygdsgården i {ort}',
      'Bygga ramp vid entrén till föreningslokalen i {ort}',
      'Laga trappan till badplatsen i {ort}',
      'Byte av golv i samlingssalen i {ort}',
      'Snickeri: nya bänkar till grillplatsen i {ort}',
    ],
    openings: [
      'Fasaden på bygdegården i {ort} behöver skrapas och målas om med röd slamfärg.',
      'Staketet runt hembygdsgården har ruttnat på flera ställen och behöver lagas.',
      'Vi vill bygga en ramp så att alla kan ta sig in i lokalen, även med rullstol eller rollator.',
      'Takrännorna läcker och behöver bytas innan hösten.',
      'Fönstren från 1920-talet ska kittas om, målas och få nya tätningslister.',
    ],
    details: [
      'Material köps in av föreningen; du behöver ha egna handverktyg.',
      'Erfarenhet av snickeri är ett krav, men du behöver inte vara utbildad snickare.',
      'Ställning finns att låna från grannbyn.',
      'Arbetet kan delas upp på flera helger.',
      'Vi bjuder på kaffe och lunch de dagar du jobbar.',
      'Gamla fönsterbågar och virke tas om hand av oss efteråt.',
    ],
    compensation: [
      { type: 'hourly', weight: 5, range: HOURLY_SKILLED },
      { type: 'fixed', weight: 4, range: [1500, 25_000, 500] },
      { type: 'by_agreement', weight: 1 },
    ],
    hours: [4, 120],
    requirements: ['Vana av snickeri', 'Egna handverktyg', 'Arbete på höjd', 'Körkort B'],
  },
  stadning: {
    weight: 9,
    titles: [
      'Storstädning av bygdegården i {ort}',
      'Städning efter höstmarknaden i {ort}',
      'Trappstädning i flerfamiljshus i {ort}',
      'Fönsterputs i föreningslokalen i {ort}',
      'Veckostädning av omklädningsrum i {ort}',
      'Städning av stugor på campingen i {ort}',
    ],
    openings: [
      'Efter höstens fester behöver lokalen i {ort} en ordentlig storstädning.',
      'Vi söker någon som kan städa trapphus och tvättstuga en gång i veckan.',
      'Fönstren i samlingssalen ska putsas in- och utvändigt.',
      'Campingstugorna ska städas mellan gästerna under sommarsäsongen.',
    ],
    details: [
      'Städmaterial och dammsugare finns på plats.',
      'Golven ska skuras och köket rengöras, även kyl och frys.',
      'Du får en egen nyckel och gör arbetet när det passar dig under veckan.',
      'Passar bra som arbetsträning med handledare på plats.',
      'Det är cirka 200 kvadratmeter fördelat på två våningar.',
    ],
    compensation: [
      { type: 'hourly', weight: 6, range: HOURLY_LOW },
      { type: 'fixed', weight: 3, range: [500, 5000, 100] },
      { type: 'volunteer', weight: 1 },
    ],
    hours: [2, 30],
    requirements: ['Noggrannhet', 'Kan arbeta självständigt'],
  },
  evenemang: {
    weight: 8,
    titles: [
      'Hjälp vid midsommarfirandet i {ort}',
      'Servering och disk vid julmarknaden i {ort}',
      'Kioskansvarig under hemmamatcherna i {ort}',
      'Funktionär vid skidtävlingen i {ort}',
      'Värd på byadagen i {ort}',
      'Uppbyggnad av scen till sommarfesten i {ort}',
      'Parkeringsvakt under marknadsdagen i {ort}',
    ],
    openings: [
      'Midsommarfirandet i {ort} samlar hela bygden och vi behöver fler händer.',
      'Till julmarknaden söker vi folk till servering, disk och försäljning.',
      'Under hemmamatcherna ska kiosken hållas öppen med kaffe, korv och lotter.',
      'Vi ordnar byadag med loppis, tipspromenad och servering.',
    ],
    details: [
      'Du arbetar i lag med föreningens medlemmar.',
      'Uppgifterna är att resa midsommarstången, bära bord och ta hand om soporna efteråt.',
      'Kassa och swish sköts av föreningens kassör.',
      'Ta med oömma kläder; det kan bli både sol och regn.',
      'Det finns mat och dryck till alla som hjälper till.',
    ],
    compensation: [
      { type: 'volunteer', weight: 4 },
      { type: 'hourly', weight: 3, range: HOURLY_LOW },
      { type: 'fixed', weight: 2, range: [300, 3000, 100] },
    ],
    hours: [3, 24],
    requirements: ['Livsmedelshygien är meriterande', 'Glad och serviceinriktad'],
  },
  transport: {
    weight: 7,
    titles: [
      'Skjuts till vårdcentralen för äldre i {ort}',
      'Flytthjälp och bortforsling av möbler i {ort}',
      'Utkörning av matkassar i {ort}',
      'Körning till återvinningscentralen från {ort}',
      'Hämtning av varor till byabutiken i {ort}',
      'Skolskjuts med minibuss från {ort}',
    ],
    openings: [
      'Flera äldre i {ort} behöver skjuts till vårdcentralen och apoteket.',
      'Vi söker någon med bil som kan köra ut matkassar en gång i veckan.',
      'En flytt inom kommunen: möbler och kartonger ska bäras och köras.',
      'Grovsopor från byns städdag ska köras till återvinningscentralen.',
    ],
    details: [
      'Milersättning betalas enligt Skatteverkets schablon.',
      'Du behöver en bil med plats för rullator.',
      'Släpvagn finns att låna.',
      'Körningarna tar ungefär två timmar tur och retur.',
      'Det är bra om du kan ta det lugnt och har tid att prata en stund.',
    ],
    compensation: [
      { type: 'hourly', weight: 5, range: HOURLY_LOW },
      { type: 'fixed', weight: 3, range: [300, 4000, 100] },
      { type: 'volunteer', weight: 2 },
    ],
    hours: [1, 20],
    requirements: ['Körkort B', 'Egen bil', 'Körkort BE för släp'],
  },
  'omsorg-och-sallskap': {
    weight: 8,
    titles: [
      'Sällskap och promenader för äldre i {ort}',
      'Läxhjälp till barn och unga i {ort}',
      'Ledare för språkcafé i {ort}',
      'Handledare för feriearbetare i {ort}',
      'Hjälp med inköp åt äldre i {ort}',
      'Högläsning på äldreboendet i {ort}',
    ],
    openings: [
      'Äldre i {ort} som bor ensamma önskar sällskap på promenader och en pratstund.',
      'Språkcaféet träffas varje vecka och behöver en ledare som håller i samtalen.',
      'Vi söker någon som kan hjälpa barn i årskurs 4–9 med läxor efter skolan.',
      'Under sommarlovet har vi feriearbetare som behöver en vuxen handledare.',
    ],
    details: [
      'Registerutdrag från belastningsregistret krävs för arbete med barn.',
      'Du får en introduktion och har en kontaktperson i föreningen.',
      'Tiderna är flexibla och bestäms tillsammans med den du hjälper.',
      'Passar dig som är lugn, lyhörd och tycker om människor.',
      'Det går bra att vara två som delar på uppdraget.',
    ],
    compensation: [
      { type: 'volunteer', weight: 4 },
      { type: 'hourly', weight: 4, range: HOURLY_LOW },
      { type: 'by_agreement', weight: 1 },
    ],
    hours: [2, 40],
    requirements: ['Registerutdrag från belastningsregistret', 'Svenska i tal', 'Tålamod'],
  },
  'it-och-webb': {
    weight: 6,
    titles: [
      'Ny hemsida till föreningen i {ort}',
      'Webbsida och Facebooksida för byalaget i {ort}',
      'Ny bokningssida för bygdegården i {ort}',
      'Datorkurs för seniorer i {ort}',
      'Hjälp att sätta upp wifi i föreningslokalen i {ort}',
      'Uppdatering av webbplatsen för hembygdsföreningen i {ort}',
    ],
    openings: [
      'Föreningens hemsida är gammal och svår att uppdatera; vi vill ha en ny webbplats.',
      'Vi vill att bygdegården i {ort} ska kunna bokas via en enkel bokningssida.',
      'Seniorer i {ort} vill lära sig använda surfplatta, BankID och e-post.',
      'Lokalen behöver trådlöst nätverk som räcker till hela samlingssalen.',
    ],
    details: [
      'Sidan ska gå att uppdatera av föreningens medlemmar utan programmering.',
      'Texter och bilder finns; du hjälper till att strukturera dem.',
      'Webbhotell och domän betalas av föreningen.',
      'Tillgänglighet är viktigt: sidan ska fungera med skärmläsare och i mobilen.',
      'Kursen hålls på biblioteket två eftermiddagar.',
    ],
    compensation: [
      { type: 'fixed', weight: 5, range: [1500, 20_000, 500] },
      { type: 'hourly', weight: 3, range: HOURLY_SKILLED },
      { type: 'by_agreement', weight: 1 },
    ],
    hours: [4, 80],
    requirements: ['Erfarenhet av WordPress eller liknande', 'Egen dator'],
  },
  kultur: {
    weight: 5,
    titles: [
      'Guidning på hembygdsgården i {ort} under sommarlovet',
      'Skanning av gamla fotografier från {ort}',
      'Hjälp att bygga upp utställningen till hembygdsdagen i {ort}',
      'Digitalisering av föreningens protokoll i {ort}',
      'Musik till sommarkvällen i {ort}',
      'Intervjua äldre om byns historia i {ort}',
    ],
    openings: [
      'Hembygdsgården i {ort} har öppet under sommaren och behöver guider.',
      'Vi har hundratals gamla fotografier som ska skannas och beskrivas.',
      'Till hembygdsdagen bygger vi en utställning om byns skola och jordbruk.',
      'Vi vill spara berättelser från de äldre i byn innan de går förlorade.',
    ],
    details: [
      'Skanner och dator finns i föreningens lokal.',
      'Intresse för lokal historia är viktigare än förkunskaper.',
      'Guidningarna hålls på svenska och gärna engelska eller tyska.',
      'Materialet blir en del av föreningens arkiv och visas på hemsidan.',
    ],
    compensation: [
      { type: 'volunteer', weight: 3 },
      { type: 'hourly', weight: 3, range: HOURLY_LOW },
      { type: 'fixed', weight: 2, range: [1000, 8000, 500] },
    ],
    hours: [3, 60],
    requirements: ['Intresse för lokal historia', 'Noggrannhet'],
  },
  'skog-och-mark': {
    weight: 8,
    titles: [
      'Röjning av sly längs skoterleden vid {ort}',
      'Vedhuggning och vedleverans till äldre i {ort}',
      'Röjning kring vandringsleden vid {ort}',
      'Skötsel av motionsspåret i {ort}',
      'Plantering av skog efter avverkning vid {ort}',
      'Rensning av diken längs byvägen i {ort}',
    ],
    openings: [
      'Skoterleden behöver röjas från sly innan snön kommer.',
      'Äldre i {ort} behöver hjälp med ved till vintern: hugga, klyva och stapla.',
      'Vandringsleden ska röjas och skyltarna ses över.',
      'Motionsspåret behöver nytt flis och röjning längs kanterna.',
    ],
    details: [
      'Röjsåg finns att låna; motorsågskörkort krävs för motorsåg.',
      'Skyddsutrustning ska användas och kan lånas.',
      'Arbetet görs i egen takt under hösten.',
      'Veden levereras med traktor och vagn som föreningen ordnar.',
      'Du behöver klara av tungt arbete i kuperad terräng.',
    ],
    compensation: [
      { type: 'hourly', weight: 5, range: HOURLY_LOW },
      { type: 'fixed', weight: 4, range: [800, 12_000, 200] },
      { type: 'volunteer', weight: 1 },
    ],
    hours: [4, 80],
    requirements: ['Motorsågskörkort', 'Röjsågskörkort', 'Egen skyddsutrustning'],
  },
  'vatten-och-fiske': {
    weight: 4,
    titles: [
      'Fiskevård i ån vid {ort} – utsättning av öring',
      'Tillsyn av badplatsen i {ort} under sommaren',
      'Skötsel av gästhamnen i {ort}',
      'Rensning av lekbäckar vid {ort}',
      'Sjösättning av bryggor i {ort}',
    ],
    openings: [
      'Fiskevårdsområdet sätter ut öring och behöver hjälp att bära hinkar och dokumentera.',
      'Badplatsen i {ort} ska hållas ren och säker hela sommaren.',
      'Gästhamnen behöver någon som tar emot båtar, tar betalt och håller rent.',
      'Bryggorna ska sjösättas på våren och tas upp på hösten.',
    ],
    details: [
      'Vadarbyxor finns att låna.',
      'Du ska kunna simma och gärna ha gått en livräddningskurs.',
      'Arbetet görs tillsammans med länsstyrelsens fiskevårdare.',
      'Sopor och tång ska tas om hand varje morgon.',
    ],
    compensation: [
      { type: 'hourly', weight: 4, range: HOURLY_LOW },
      { type: 'volunteer', weight: 3 },
      { type: 'fixed', weight: 2, range: [500, 6000, 100] },
    ],
    hours: [2, 50],
    requirements: ['Simkunnig', 'Livräddningskurs är meriterande'],
  },
  administration: {
    weight: 5,
    titles: [
      'Bokföring åt föreningen i {ort}',
      'Kassör sökes: löpande bokföring och bokslut i {ort}',
      'Uppdatering av medlemsregistret i {ort}',
      'Ansökan om bidrag till bygdegården i {ort}',
      'Protokollförare vid årsmötet i {ort}',
    ],
    openings: [
      'Föreningen behöver hjälp med löpande bokföring och bokslut.',
      'Medlemsregistret ska föras över från pärmar till ett kalkylark.',
      'Vi vill söka bidrag från Boverket och länsstyrelsen för att renovera bygdegården.',
      'Till årsmötet behöver vi en protokollförare.',
    ],
    details: [
      'Vi använder ett enkelt bokföringsprogram som du får tillgång till.',
      'Underlagen finns i pärmar i föreningslokalen.',
      'Du behöver kunna arbeta noggrant med siffror.',
      'Uppdraget kan göras på distans.',
    ],
    compensation: [
      { type: 'hourly', weight: 4, range: HOURLY_SKILLED },
      { type: 'fixed', weight: 4, range: [1000, 15_000, 500] },
      { type: 'by_agreement', weight: 1 },
    ],
    hours: [2, 60],
    requirements: ['Vana av bokföring', 'Kalkylark'],
  },
  ovrigt: {
    weight: 4,
    titles: [
      'Hundrastning i {ort}',
      'Djurpassning under semestern i {ort}',
      'Tillsyn av fritidshus i {ort} under vintern',
      'Hjälp med inventering av förrådet i {ort}',
      'Fotografering av byns hus till hemsidan i {ort}',
    ],
    openings: [
      'Vi söker någon som kan rasta hunden två gånger om dagen under en vecka.',
      'Fritidshuset i {ort} står tomt under vintern och behöver tillsyn varannan vecka.',
      'Förrådet ska inventeras och allt som inte behövs sorteras ut.',
      'Vi vill fotografera byns hus och gårdar till hemsidan och en bok.',
    ],
    details: [
      'Nyckel lämnas över vid ett möte innan uppdraget börjar.',
      'Du får en checklista med det som ska ses över.',
      'Egen kamera eller bra mobilkamera behövs.',
      'Djuren är vana vid främlingar.',
    ],
    compensation: [
      { type: 'hourly', weight: 3, range: HOURLY_LOW },
      { type: 'fixed', weight: 3, range: [300, 5000, 100] },
      { type: 'volunteer', weight: 2 },
      { type: 'by_agreement', weight: 1 },
    ],
    hours: [1, 30],
    requirements: ['Pålitlig', 'Körkort B'],
  },
};

const CLOSINGS = [
  'Ersättningen betalas ut via förenklat företagande (egenanställning), så du behöver ingen egen firma.',
  'Hör av dig om du undrar något, vi svarar gärna!',
  'Välkommen med din intresseanmälan.',
  'Arbetet passar även den som vill prova på och komma in i arbetslivet.',
  'Vi ser gärna sökande från bygden.',
  '',
];

const DAY_MS = 86_400_000;

/** Mulberry32: small, fast and deterministic; enough for test data (and bench:load's simulated people). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Place {
  code: string;
  shortName: string;
  villages: ReadonlyArray<{ name: string; lat: number; lng: number }>;
}

let placesCache: Promise<Place[]> | undefined;

/** Every municipality with its villages, in code order. */
function referencePlaces(): Promise<Place[]> {
  placesCache ??= Promise.all([loadMunicipalities(), loadLocalities()]).then(([municipalities, localities]) =>
    municipalities
      .map((m) => ({
        code: m.code,
        shortName: m.shortName,
        villages: localities.filter((l) => l.municipalityCode === m.code).map((l) => ({ name: l.name, lat: l.lat, lng: l.lng })),
      }))
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
  );
  return placesCache;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * `count` synthetic assignments (published unless `status` says draft). The
 * municipalities come round robin in a seeded order, so any N ≥ 290 covers all
 * of them and N = 290·k gives each exactly k.
 */
export async function syntheticAssignments(
  count: number,
  seed: number,
  options: { now?: Date; status?: 'published' | 'draft' } = {},
): Promise<SyntheticAssignment[]> {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`count must be a whole number ≥ 0, got ${count}`);
  const now = options.now ?? new Date();
  const status = options.status ?? 'published';
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const between = (min: number, max: number, step = 1) => min + step * Math.floor(next() * (Math.floor((max - min) / step) + 1));
  const weighted = <T extends { weight: number }>(items: readonly T[]): T => {
    let roll = next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) if ((roll -= item.weight) < 0) return item;
    return items[items.length - 1] as T;
  };

  const places = [...(await referencePlaces())];
  // A seeded shuffle (Fisher–Yates), so different seeds fill the municipalities in different orders.
  for (let i = places.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [places[i], places[j]] = [places[j] as Place, places[i] as Place];
  }
  const categories = CATEGORIES.map((c) => ({ slug: c.slug, ...(VOCABULARY[c.slug] as Vocabulary) }));

  const rows: SyntheticAssignment[] = [];
  for (let i = 0; i < count; i += 1) {
    const place = places[i % places.length] as Place;
    const category = weighted(categories);
    const village = place.villages.length > 0 && next() < 0.92 ? pick(place.villages) : null;
    const ort = village?.name ?? place.shortName;
    const fill = (text: string) => text.replaceAll('{ort}', ort);

    // Some work is out of the village itself (a cabin, a lake, a trail): an exact point within about 3 km.
    const exactPoint = village !== null && next() < 0.15;
    const lat = exactPoint ? Math.round((village.lat + (next() - 0.5) * 0.05) * 1e6) / 1e6 : null;
    const lng = exactPoint ? Math.round((village.lng + (next() - 0.5) * 0.1) * 1e6) / 1e6 : null;

    const compensation = weighted(category.compensation);
    const amountSek = compensation.range ? between(...compensation.range) : null;
    const estimatedHours = next() < 0.85 ? between(category.hours[0] * 2, category.hours[1] * 2) / 2 : null;

    const details = new Set<string>();
    const detailCount = 1 + Math.floor(next() * 3);
    while (details.size < Math.min(detailCount, category.details.length)) details.add(pick(category.details));
    const hoursSentence =
      estimatedHours === null ? '' : `Arbetet beräknas ta ungefär ${String(estimatedHours).replace('.', ',')} timmar.`;
    const description = [fill(pick(category.openings)), ...details, hoursSentence, pick(CLOSINGS)]
      .filter((sentence) => sentence !== '')
      .join(' ');

    const publishedAt = status === 'published' ? new Date(now.getTime() - Math.floor(next() * 45 * DAY_MS)) : null;
    const applyBy = new Date(today + between(0, 60) * DAY_MS);
    const startsOn = new Date(applyBy.getTime() + between(1, 14) * DAY_MS);
    const endsOn = next() < 0.7 ? new Date(startsOn.getTime() + between(0, 30) * DAY_MS) : null;
    const workTraining = next() < 0.15;

    rows.push({
      organisation: i % SYNTHETIC_ORGANISATIONS.length,
      title: fill(pick(category.titles)),
      description,
      categorySlug: category.slug,
      municipalityCode: place.code,
      localityName: village?.name ?? null,
      lat,
      lng,
      compensationType: compensation.type,
      amountSek,
      estimatedHours,
      startsOn: isoDate(startsOn),
      endsOn: endsOn && isoDate(endsOn),
      applyBy: isoDate(applyBy),
      peopleNeeded: next() < 0.8 ? 1 : between(2, 6),
      requirements: next() < 0.4 ? pick(category.requirements) : '',
      workTraining,
      supervisorAvailable: workTraining && next() < 0.7,
      status,
      publishedAt,
    });
  }
  return rows;
}

/** The synthetic organisations (created when missing, verified); their ids in SYNTHETIC_ORGANISATIONS order. */
export async function ensureSyntheticOrganisations(db: Knex): Promise<number[]> {
  const rows = SYNTHETIC_ORGANISATIONS.map((o, i) => ({
    name: o.name,
    slug: `${SYNTHETIC_ORGANISATION_SLUG_PREFIX}${i + 1}`,
    type: o.type,
    municipality_code: o.municipalityCode,
    description: 'Syntetisk organisation för prestandamätningar; inte en riktig förening.',
    verified_at: db.fn.now(),
  }));
  await db('organisations').insert(rows).onConflict('slug').ignore();
  const found: Array<{ id: number; slug: string }> = await db('organisations')
    .whereIn(
      'slug',
      rows.map((r) => r.slug),
    )
    .select('id', 'slug');
  const idBySlug = new Map(found.map((r) => [r.slug, Number(r.id)]));
  return rows.map((r) => idBySlug.get(r.slug) as number);
}

/**
 * Inserts the rows under the synthetic organisations, `batchSize` rows per
 * statement (one JSON parameter each, so the parameter limit never bites).
 * Queues no index jobs: the caller rebuilds the index afterwards (reindex),
 * which is what makes loading 100 000 rows take seconds. Returns the new ids in row order.
 */
export async function loadSyntheticAssignments(
  db: Knex,
  rows: readonly SyntheticAssignment[],
  options: { batchSize?: number } = {},
): Promise<number[]> {
  const batchSize = options.batchSize ?? 5000;
  const organisationIds = await ensureSyntheticOrganisations(db);
  const categories: Array<{ id: number; slug: string }> = await db('categories').select('id', 'slug');
  const categoryId = new Map(categories.map((c) => [c.slug, c.id]));
  const localities: Array<{ id: number; municipality_code: string; name: string }> = await db('localities').select(
    'id',
    'municipality_code',
    'name',
  );
  const localityId = new Map(localities.map((l) => [`${l.municipality_code}\u0000${l.name}`, l.id]));

  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize).map((row) => {
      const locality = row.localityName === null ? null : localityId.get(`${row.municipalityCode}\u0000${row.localityName}`);
      if (locality === undefined) throw new Error(`Unknown locality ${row.localityName} in ${row.municipalityCode}`);
      const category = categoryId.get(row.categorySlug);
      if (category === undefined) throw new Error(`Unknown category ${row.categorySlug}`);
      return {
        organisation_id: organisationIds[row.organisation],
        title: row.title,
        description: row.description,
        category_id: category,
        municipality_code: row.municipalityCode,
        locality_id: locality,
        lat: row.lat,
        lng: row.lng,
        compensation_type: row.compensationType,
        amount_sek: row.amountSek,
        estimated_hours: row.estimatedHours,
        starts_on: row.startsOn,
        ends_on: row.endsOn,
        apply_by: row.applyBy,
        people_needed: row.peopleNeeded,
        requirements: row.requirements,
        work_training: row.workTraining,
        supervisor_available: row.supervisorAvailable,
        status: row.status,
        published_at: row.publishedAt?.toISOString() ?? null,
      };
    });
    const columns = Object.keys(batch[0] as object);
    const list = columns.join(', ');
    // WITH ORDINALITY + ORDER BY keeps the returned ids in the order of the rows.
    const result = await db.raw<{ rows: Array<{ id: number }> }>(
      `INSERT INTO assignments (${list})
       SELECT ${list} FROM json_populate_recordset(NULL::assignments, ?::json) WITH ORDINALITY AS r
       ORDER BY ordinality
       RETURNING id`,
      [JSON.stringify(batch)],
    );
    ids.push(...result.rows.map((r) => Number(r.id)));
  }
  return ids;
}

/** Removes the synthetic organisations and their assignments (for a benchmark run against a shared database). */
export async function removeSyntheticData(db: Knex): Promise<void> {
  await inTransaction(
    db,
    async (trx) => {
      const organisations = trx('organisations').where('slug', 'like', `${SYNTHETIC_ORGANISATION_SLUG_PREFIX}%`).select('id');
      await trx('assignments').whereIn('organisation_id', organisations).delete();
      await trx('organisations').where('slug', 'like', `${SYNTHETIC_ORGANISATION_SLUG_PREFIX}%`).delete();
    },
    { databaseErrors: 'raw' },
  );
}
