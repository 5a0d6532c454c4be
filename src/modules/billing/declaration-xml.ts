// The monthly employer declaration (arbetsgivardeklaration på individnivå) as the XML file Skatteverket's
// e-service takes, schema version 1.1. Pure: no I/O, the full personnummer passed in by the service.
//
// Sources (README, "Employer declaration", says what could not be confirmed):
// - Skatteverket, "Teknisk beskrivning för arbetsgivardeklaration på individnivå" (version 1.1 and its later
//   editions 1.1.13–1.1.17) and "XML-schema version 1.1":
//   https://www.skatteverket.se/omoss/utvecklingavdigitalatjanster/arbetsgivardeklarationpaindividniva/tekniskbeskrivning.4.515a6be615c637b9aa46546.html
//   with its appendix of sample files (sample 11: a file holding only the main return).
// - github.com/DanielViberg/agi-generator, generate_agi.py: the namespaces, the element names and their order
//   (Avsandare, Blankettgemensamt, one Blankett per return with Arendeinformation), the field codes as a
//   `faltkod` attribute, the employer as "16" + the organisation number.
//
// Field codes used: main return (HU) 201 employer, 006 period YYYYMM, 487 employer contributions, 497 tax
// withheld; individual return (IU) 201, 215 the payee's personnummer (twelve digits), 006, 001 tax withheld,
// 011 cash pay that is a base for employer contributions, 131 cash pay that is not (the year's pay under the
// threshold), 570 specification number. Amounts in whole kronor, öre dropped.

export const INSTANCE_NAMESPACE = 'http://xmls.skatteverket.se/se/skatteverket/da/instans/schema/1.1';
export const COMPONENT_NAMESPACE = 'http://xmls.skatteverket.se/se/skatteverket/da/komponent/schema/1.1';
const SCHEMA_LOCATION = `${INSTANCE_NAMESPACE} http://xmls.skatteverket.se/se/skatteverket/da/arbetsgivardeklaration/arbetsgivardeklaration_1.1.xsd`;
const PROGRAM_NAME = 'Uppdragsbanken';

export interface DeclarationEmployer {
  /** Ten digits, no hyphen. */
  organisationNumber: string;
  name: string;
  email: string;
}

export interface IndividualReturn {
  /** Twelve digits, no hyphen. */
  personalNumber: string;
  specificationNumber: number;
  /** Whole kronor. */
  cashPayKr: number;
  /** Whether the pay is a base for employer contributions (field 011) or not (131). */
  contributionBase: boolean;
  taxKr: number;
}

export interface DeclarationFile {
  employer: DeclarationEmployer;
  /** 'YYYYMM' */
  period: string;
  contributionsKr: number;
  taxKr: number;
  individuals: IndividualReturn[];
  /** Stockholm wall-clock time, 'YYYY-MM-DDTHH:MM:SS' (the schema's form: no zone). */
  createdAt: string;
}

/** Skatteverket writes an organisation number with twelve digits: the century-like prefix 16 before the ten. */
export function employerId(organisationNumber: string): string {
  if (!/^\d{10}$/.test(organisationNumber)) throw new RangeError('An organisation number has ten digits');
  return `16${organisationNumber}`;
}

/** Text content and attribute values, escaped; characters XML 1.0 cannot hold at all are refused. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(value) || /\p{Cs}/u.test(value))
    throw new RangeError('The text holds a character XML cannot carry');
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A small writer: every text goes through escapeXml, so no caller can forget to. */
class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'];
  private depth = 0;

  open(name: string, attributes: Record<string, string> = {}): this {
    this.parts.push(`${this.indent()}<${name}${attributeText(attributes)}>\n`);
    this.depth += 1;
    return this;
  }

  close(name: string): this {
    this.depth -= 1;
    this.parts.push(`${this.indent()}</${name}>\n`);
    return this;
  }

  element(name: string, text: string | number, fieldCode?: string): this {
    const attributes: Record<string, string> = fieldCode === undefined ? {} : { faltkod: fieldCode };
    this.parts.push(`${this.indent()}<${name}${attributeText(attributes)}>${escapeXml(String(text))}</${name}>\n`);
    return this;
  }

  toString(): string {
    return this.parts.join('');
  }

  private indent(): string {
    return '  '.repeat(this.depth);
  }
}

function attributeText(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
}

function wholeKronor(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not whole kronor`);
  return String(value);
}

export function declarationXml(file: DeclarationFile): string {
  if (!/^\d{6}$/.test(file.period)) throw new RangeError('A period is YYYYMM');
  const id = employerId(file.employer.organisationNumber);
  const xml = new XmlWriter();
  const contact = () => xml.element('agd:Namn', file.employer.name).element('agd:Epostadress', file.employer.email);
  const form = (write: () => void) => {
    xml.open('agd:Blankett').open('agd:Arendeinformation');
    xml.element('agd:Arendeagare', id).element('agd:Period', file.period);
    xml.close('agd:Arendeinformation').open('agd:Blankettinnehall');
    write();
    xml.close('agd:Blankettinnehall').close('agd:Blankett');
  };

  xml.open('Skatteverket', {
    omrade: 'Arbetsgivardeklaration',
    xmlns: INSTANCE_NAMESPACE,
    'xmlns:agd': COMPONENT_NAMESPACE,
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': SCHEMA_LOCATION,
  });
  xml.open('agd:Avsandare').element('agd:Programnamn', PROGRAM_NAME).element('agd:Organisationsnummer', id);
  xml.open('agd:TekniskKontaktperson');
  contact();
  xml.close('agd:TekniskKontaktperson').element('agd:Skapad', file.createdAt).close('agd:Avsandare');
  xml.open('agd:Blankettgemensamt').open('agd:Arbetsgivare').element('agd:AgRegistreradId', id);
  xml.open('agd:Kontaktperson');
  contact();
  xml.close('agd:Kontaktperson').close('agd:Arbetsgivare').close('agd:Blankettgemensamt');

  form(() => {
    xml.open('agd:HU').open('agd:ArbetsgivareHUGROUP').element('agd:AgRegistreradId', id, '201');
    xml.close('agd:ArbetsgivareHUGROUP').element('agd:RedovisningsPeriod', file.period, '006');
    xml.element('agd:SummaArbAvgSlf', wholeKronor(file.contributionsKr), '487');
    xml.element('agd:SummaSkatteavdr', wholeKronor(file.taxKr), '497');
    xml.close('agd:HU');
  });

  for (const individual of file.individuals) {
    if (!/^\d{12}$/.test(individual.personalNumber)) throw new RangeError('A personnummer has twelve digits here');
    form(() => {
      xml.open('agd:IU').open('agd:ArbetsgivareIUGROUP').element('agd:AgRegistreradId', id, '201');
      xml.close('agd:ArbetsgivareIUGROUP').open('agd:BetalningsmottagareIUGROUP').open('agd:BetalningsmottagareIDChoice');
      xml.element('agd:BetalningsmottagarId', individual.personalNumber, '215');
      xml.close('agd:BetalningsmottagareIDChoice').close('agd:BetalningsmottagareIUGROUP');
      xml.element('agd:AvdrPrelSkatt', wholeKronor(individual.taxKr), '001');
      xml.element('agd:RedovisningsPeriod', file.period, '006');
      if (individual.contributionBase) xml.element('agd:KontantErsattningUlagAG', wholeKronor(individual.cashPayKr), '011');
      else xml.element('agd:KontantErsattningEjUlagSA', wholeKronor(individual.cashPayKr), '131');
      xml.element('agd:Specifikationsnummer', individual.specificationNumber, '570');
      xml.close('agd:IU');
    });
  }
  xml.close('Skatteverket');
  return xml.toString();
}
