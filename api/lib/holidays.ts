/**
 * The territories whose holidays count for administrative deadlines (Ley 39/2015, art. 30.6).
 * The holidays themselves are data in the database (see `calendar_*` and `holidays` tables) and
 * reach the engine as a `CalendarSnapshot` (api/lib/calendar.ts).
 */

/** Autonomous communities and cities, ISO 3166-2:ES without `ES-`. */
export const REGION_CODES = [
  'AN',
  'AR',
  'AS',
  'CN',
  'CB',
  'CL',
  'CM',
  'CT',
  'EX',
  'GA',
  'IB',
  'RI',
  'MD',
  'MC',
  'NC',
  'PV',
  'VC',
  'CE',
  'ML',
] as const;
export type RegionCode = (typeof REGION_CODES)[number];

export const REGION_NAMES: Readonly<Record<RegionCode, string>> = {
  AN: 'Andalucía',
  AR: 'Aragón',
  AS: 'Principado de Asturias',
  CN: 'Canarias',
  CB: 'Cantabria',
  CL: 'Castilla y León',
  CM: 'Castilla-La Mancha',
  CT: 'Cataluña',
  EX: 'Extremadura',
  GA: 'Galicia',
  IB: 'Illes Balears',
  RI: 'La Rioja',
  MD: 'Comunidad de Madrid',
  MC: 'Región de Murcia',
  NC: 'Comunidad Foral de Navarra',
  PV: 'País Vasco',
  VC: 'Comunitat Valenciana',
  CE: 'Ceuta',
  ML: 'Melilla',
};

/** Provinces (and Ceuta, Melilla), ISO 3166-2:ES without `ES-`. */
export const PROVINCE_CODES = [
  'A',
  'AB',
  'AL',
  'AV',
  'B',
  'BA',
  'BI',
  'BU',
  'C',
  'CA',
  'CC',
  'CE',
  'CO',
  'CR',
  'CS',
  'CU',
  'GC',
  'GI',
  'GR',
  'GU',
  'H',
  'HU',
  'J',
  'L',
  'LE',
  'LO',
  'LU',
  'M',
  'MA',
  'ML',
  'MU',
  'NA',
  'O',
  'OR',
  'P',
  'PM',
  'PO',
  'S',
  'SA',
  'SE',
  'SG',
  'SO',
  'SS',
  'T',
  'TE',
  'TF',
  'TO',
  'V',
  'VA',
  'VI',
  'Z',
  'ZA',
] as const;
export type ProvinceCode = (typeof PROVINCE_CODES)[number];

export type Confidence = 'A' | 'B' | 'C';
export type HolidayScope = 'national' | 'region' | 'area' | 'municipality';
export type AreaKind = 'island' | 'aran' | 'historical_territory';
